namespace NotebookMl.Notebooks;

/// <summary>The file formats a notebook can be read from and written to.</summary>
public enum NotebookFormat
{
    /// <summary>Jupyter's nbformat 4 JSON (<c>.ipynb</c>).</summary>
    Ipynb,

    /// <summary>Polyglot Notebooks' plain-text format (<c>.dib</c>).</summary>
    Dib,
}
