namespace NotebookMl.Verbs;

/// <summary>Where a verb's results go: a notebook's output (rich displays) or a terminal (text or JSON).</summary>
public interface IVerbContext
{
    /// <summary>Shows a result value: formatted as HTML in a notebook, as a text table or JSON in a terminal.</summary>
    void Display(object value);

    /// <summary>Writes a line of plain text (a notebook's stdout, or the terminal).</summary>
    void WriteLine(string text);

    /// <summary>
    /// Runs long <paramref name="work"/>, showing what it reports: a progress bar in a terminal (Spectre.Console,
    /// a line per stage when not a terminal), an updating display with the metric curves in a notebook.
    /// </summary>
    T WithProgress<T>(string title, Func<IProgress<ProgressUpdate>, T> work);
}
