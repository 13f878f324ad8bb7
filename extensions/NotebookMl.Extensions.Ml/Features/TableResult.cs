using NotebookMl.Extensions.Ml.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Features;

/// <summary>A verb result that is one or more tables, with a JSON form.</summary>
public sealed record TableResult(IReadOnlyList<Table> Tables, object Json) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables() => Tables;

    /// <inheritdoc/>
    public object ToJson() => Json;

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() =>
    [
        new("text/plain", string.Join("\n", Tables.Select(TextTable.Render))),
        new("text/html", string.Concat(Tables.Select(t => TableFormatter.ToHtml(t)))),
    ];
}
