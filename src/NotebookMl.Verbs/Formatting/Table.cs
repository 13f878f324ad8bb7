namespace NotebookMl.Verbs.Formatting;

/// <summary>
/// A result shaped as rows and columns (variables, magic commands, statistics). Rendered as an
/// HTML table in notebooks and as an aligned text table or JSON in the CLI.
/// </summary>
public sealed record Table(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>An optional caption shown above the table.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// How many of the first columns a narrow terminal must show; the others may be left out, rightmost first, before
    /// values are squeezed (it says which were). Null: every column matters.
    /// </summary>
    public int? Essential { get; init; }

    /// <summary>What to say when columns were left out: how to see them (e.g. the verb's <c>--wide</c>).</summary>
    public string? MoreColumns { get; init; }

    /// <summary>Every column at its full width, whatever the terminal's (a verb's <c>--wide</c>).</summary>
    public bool Wide { get; init; }
}
