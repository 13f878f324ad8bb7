namespace NotebookMl.Kernel.Verbs;

/// <summary>Where a verb's results go: a notebook's output (rich displays) or a terminal (text or JSON).</summary>
public interface IVerbContext
{
    /// <summary>Shows a result value: formatted as HTML in a notebook, as a text table or JSON in a terminal.</summary>
    void Display(object value);

    /// <summary>Writes a line of plain text (a notebook's stdout, or the terminal).</summary>
    void WriteLine(string text);
}
