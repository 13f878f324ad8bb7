namespace NotebookMl.Kernel.Formatting;

/// <summary>
/// A result shaped as rows and columns (variables, magic commands, statistics). Rendered as an
/// HTML table in notebooks and as an aligned text table or JSON in the CLI.
/// </summary>
public sealed record Table(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>An optional caption shown above the table.</summary>
    public string? Title { get; init; }
}
