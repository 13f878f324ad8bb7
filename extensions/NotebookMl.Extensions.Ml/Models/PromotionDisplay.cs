using NotebookMl.Core.Registry;
using NotebookMl.Verbs;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>A promotion's outcome: every gate with its value, and whether the alias moved.</summary>
public sealed record PromotionDisplay(PromotionResult Result) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var r = Result;
        var failed = r.Gates.Count(g => !g.Passed);
        var title = r.Promoted
            ? $"Promoted {r.Version.Uri} to @{r.Alias} (was {(r.Change!.FromVersion is { } from ? $"version {from}" : "unset")}): {r.Gates.Count} gates passed"
            : $"Not promoted: {failed} of {r.Gates.Count} gates failed; @{r.Alias} of {r.Version.Name} did not move";
        return [new Table(["gate", "value", "result"], r.Gates.Select(g => (IReadOnlyList<string>)[g.Gate, g.Value, g.Passed ? "passed" : "FAILED"]).ToArray()) { Title = title }];
    }

    /// <inheritdoc/>
    public object ToJson() => new
    {
        name = Result.Version.Name,
        version = Result.Version.Version,
        alias = Result.Alias,
        promoted = Result.Promoted,
        from_version = Result.Change?.FromVersion,
        gates = Result.Gates.Select(g => new { gate = g.Gate, value = g.Value, passed = g.Passed }),
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() => ModelVersionResult.Bundle(ToTables());
}
