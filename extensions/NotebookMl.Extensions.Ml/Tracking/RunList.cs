using NotebookMl.Core.Tracking;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Kernel.Verbs;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>The result of <c>runs list</c>: one row per run with its params and latest metrics as columns.</summary>
public sealed record RunList(IReadOnlyList<RunSummary> Runs) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var paramKeys = Runs.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var metricKeys = Runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var columns = new[] { "run", "experiment", "name", "status", "started", "duration" }
            .Concat(paramKeys.Select(k => "params." + k)).Concat(metricKeys.Select(k => "metrics." + k)).ToArray();
        var rows = Runs.Select(r => (IReadOnlyList<string>)
        [
            r.Id[..8], r.Experiment, r.Name, r.Status.ToString().ToUpperInvariant(), Html.Time(r.Started), Html.Duration(r.Duration),
            .. paramKeys.Select(k => r.Params.GetValueOrDefault(k, "")),
            .. metricKeys.Select(k => r.Metrics.TryGetValue(k, out var v) ? Html.Number(v) : ""),
        ]).ToArray();
        return [new Table(columns, rows) { Title = Runs.Count == 0 ? "No runs." : $"{Runs.Count} run(s), newest first unless ordered" }];
    }

    /// <inheritdoc/>
    public object ToJson() => Runs.Select(r => new
    {
        id = r.Id,
        experiment = r.Experiment,
        name = r.Name,
        status = r.Status.ToString().ToUpperInvariant(),
        started = r.Started,
        ended = r.Ended,
        @params = r.Params,
        metrics = r.Metrics,
        tags = r.Tags,
    }).ToArray();

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle()
    {
        var table = ToTables()[0];
        return [new FormattedValue("text/plain", TextTable.Render(table)), new FormattedValue("text/html", TableFormatter.ToHtml(table))];
    }
}
