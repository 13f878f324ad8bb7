namespace NotebookMl.Notebooks;

/// <summary>The kind of a notebook cell, as nbformat's <c>cell_type</c> names it.</summary>
public enum CellKind
{
    /// <summary>Code that a kernel runs (<c>"code"</c>).</summary>
    Code,

    /// <summary>Markdown text (<c>"markdown"</c>).</summary>
    Markdown,

    /// <summary>Text passed through untouched by Jupyter (<c>"raw"</c>).</summary>
    Raw,
}
