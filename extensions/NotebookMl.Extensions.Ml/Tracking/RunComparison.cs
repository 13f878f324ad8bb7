using System.Text;
using NotebookMl.Core.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>
/// The result of <c>runs compare ID ID…</c>: params and latest metrics side by side, differing rows
/// marked; in a notebook also metric curves overlaid and a parallel-coordinates chart (Plotly.NET).
/// </summary>
public sealed record RunComparison(IReadOnlyList<RunSummary> Runs, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<MetricPoint>>> Histories) : IVerbResult, IMimeRenderable
{
    /// <summary>Compares <paramref name="runs"/>, reading each metric's history from <paramref name="tracker"/>.</summary>
    public static RunComparison Of(Tracker tracker, IReadOnlyList<RunSummary> runs)
    {
        var keys = runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal);
        var histories = keys.ToDictionary(k => k, k => (IReadOnlyList<IReadOnlyList<MetricPoint>>)runs.Select(r => tracker.MetricHistory(r.Id, k)).ToArray());
        return new RunComparison(runs, histories);
    }

    /// <summary>Param keys whose values differ between the runs (a missing value counts as different).</summary>
    public IReadOnlyList<string> DifferingParams => ParamKeys.Where(k => Runs.Select(r => r.Params.GetValueOrDefault(k)).Distinct().Count() > 1).ToArray();

    /// <summary>Metric keys whose latest values differ between the runs.</summary>
    public IReadOnlyList<string> DifferingMetrics => MetricKeys.Where(k => Runs.Select(r => r.Metrics.TryGetValue(k, out var v) ? Html.Number(v) : null).Distinct().Count() > 1).ToArray();

    private string[] ParamKeys => Runs.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();

    private string[] MetricKeys => Runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        string[] columns = ["key", .. Runs.Select(Label), "differs"];
        var differingParams = DifferingParams.ToHashSet();
        var differingMetrics = DifferingMetrics.ToHashSet();
        var parameters = ParamKeys.Select(k => (IReadOnlyList<string>)[k, .. Runs.Select(r => r.Params.GetValueOrDefault(k, "—")), differingParams.Contains(k) ? "≠" : ""]).ToArray();
        var metrics = MetricKeys.Select(k => (IReadOnlyList<string>)[k, .. Runs.Select(r => r.Metrics.TryGetValue(k, out var v) ? Html.Number(v) : "—"), differingMetrics.Contains(k) ? "≠" : ""]).ToArray();
        return [new Table(columns, parameters) { Title = "Params" }, new Table(columns, metrics) { Title = "Metrics (latest)" }];
    }

    /// <inheritdoc/>
    public object ToJson() => new
    {
        runs = Runs.Select(r => new { id = r.Id, experiment = r.Experiment, name = r.Name, status = r.Status.ToString().ToUpperInvariant() }),
        @params = ParamKeys.ToDictionary(k => k, k => Runs.ToDictionary(r => r.Id, r => r.Params.GetValueOrDefault(k))),
        metrics = MetricKeys.ToDictionary(k => k, k => Runs.ToDictionary(r => r.Id, r => r.Metrics.TryGetValue(k, out var v) ? v : (double?)null)),
        differing_params = DifferingParams,
        differing_metrics = DifferingMetrics,
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle()
    {
        var tables = ToTables();
        var differing = new[] { DifferingParams, DifferingMetrics };
        var html = new StringBuilder("<div class=\"notebookml-compare\">");
        for (var t = 0; t < tables.Count; t++)
        {
            var rows = tables[t].Rows.Select((r, i) => (r, i)).Where(x => differing[t].Contains(x.r[0])).Select(x => x.i).ToHashSet();
            html.Append(TableFormatter.ToHtml(tables[t], rows));
        }

        foreach (var chart in ComparisonCharts.Build(this))
        {
            html.Append(chart);
        }

        return [new FormattedValue("text/plain", string.Join("\n", tables.Select(TextTable.Render))), new FormattedValue("text/html", Charts.PlotlyHtml.Output(html.Append("</div>").ToString()))];
    }

    /// <summary>A run's column heading: its name and short id.</summary>
    public static string Label(RunSummary run) => $"{run.Name} ({run.Id[..8]})";
}
