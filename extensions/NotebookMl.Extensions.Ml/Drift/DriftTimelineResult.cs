using System.Globalization;
using System.Text.Json;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Monitoring;
using NotebookMl.Core.Predictions;
using NotebookMl.Extensions.Ml.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Drift;

/// <summary>
/// Drift over time as people and machines read it: a table with a row per bucket and a column per compared column (its
/// statistic, * when it drifted); <c>--json</c> every bucket with the same per-column fields as a drift report; in a notebook
/// also a chart of each column's statistic per bucket with the threshold as a dashed line.
/// </summary>
public sealed class DriftTimelineResult(DriftTimeline timeline, string? saved, ModelPerformance? performance = null) : IVerbResult, IMimeRenderable
{
    /// <summary>The timeline.</summary>
    public DriftTimeline Timeline => timeline;

    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var columns = Columns();
        // Buckets without traffic are folded: a week of hourly buckets on a quiet model is a few rows, not 169.
        var rows = EmptyBuckets.Rows(timeline.Buckets, b => b.Report is null, b => (b.Start, b.End), b => new[]
        {
            Time(b.Start), b.Rows.ToString("N0", CultureInfo.InvariantCulture),
            b.Report is { } r ? $"{r.Columns.Count(c => c.Drift)} of {r.Columns.Count}" : "", b.Report is { } d ? (d.DatasetDrift ? "YES" : "no") : "",
        }.Concat(columns.Select(name => b.Report?.Columns.FirstOrDefault(c => c.Column == name) is { Statistic: { } s } c ? Html.Number(s) + (c.Drift ? " *" : "") : "")).ToArray(), 4 + columns.Length).ToArray();
        var methods = string.Join(", ", timeline.Latest?.Report?.Columns.Select(c => $"{c.Column} {DriftMethods.Name(c.Method)}") ?? []);
        var drift = new Table(["bucket (UTC)", "rows", "drifted", "dataset drift", .. columns], rows)
        {
            Title = $"Drift of {timeline.Model} (version {timeline.Version}'s reference statistics) per {Core.Time.Durations.Format(timeline.Every)}: {methods}; * drifted" + (saved is null ? "" : $"; saved to {saved}"),
        };
        return performance is null ? [drift] : [drift, PerformanceView.Table(performance)];
    }

    /// <inheritdoc/>
    public object ToJson() => new
    {
        model = timeline.Model,
        version = timeline.Version,
        every_seconds = timeline.Every.TotalSeconds,
        saved,
        buckets = timeline.Buckets.Select(b => new
        {
            start = b.Start,
            end = b.End,
            rows = b.Rows,
            drift_share = b.Report?.DriftShare,
            dataset_drift = b.Report?.DatasetDrift,
            columns = b.Report?.Columns.Select(c => new { column = c.Column, method = DriftMethods.Name(c.Method), statistic = c.Statistic, p_value = c.PValue, threshold = c.Threshold, drift = c.Drift }).ToArray() ?? [],
        }),
        performance = performance is null ? null : PerformanceView.Json(performance),
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() =>
    [
        new("text/plain", string.Join("\n", ToTables().Select(TextTable.Render))),
        new("text/html", Charts.PlotlyHtml.Output(ToHtml())),
    ];

    /// <summary>A standalone page (plotly.js inside), for <c>--html FILE</c>.</summary>
    public string ToDocument() => Charts.PlotlyHtml.Document($"Drift of {timeline.Model} over time", ToHtml());

    private string ToHtml() => string.Concat(ToTables().Select(t => TableFormatter.ToHtml(t))) + Charts.PlotlyHtml.RenderFigure(Chart());

    private string[] Columns() =>
        timeline.Buckets.Where(b => b.Report is not null).SelectMany(b => b.Report!.Columns.Select(c => c.Column)).Distinct().Order(StringComparer.Ordinal).ToArray();

    private string Chart()
    {
        var withTraffic = timeline.Buckets.Where(b => b.Report is not null).ToArray();
        var traces = new List<object>();
        foreach (var name in Columns())
        {
            var points = withTraffic.Select(b => (b.Start, Column: b.Report!.Columns.FirstOrDefault(c => c.Column == name))).Where(p => p.Column?.Statistic is not null).ToArray();
            traces.Add(new { type = "scatter", mode = "lines+markers", name, x = points.Select(p => Time(p.Start)), y = points.Select(p => p.Column!.Statistic) });
        }

        // The thresholds of the distances (PSI, JS, Wasserstein): drift at or above the dashed line.
        var thresholds = withTraffic.SelectMany(b => b.Report!.Columns).Where(c => !DriftMethods.IsTest(c.Method)).Select(c => c.Threshold).Distinct().ToArray();
        if (withTraffic.Length > 0)
        {
            foreach (var threshold in thresholds)
            {
                traces.Add(new
                {
                    type = "scatter", mode = "lines", name = $"threshold {Html.Number(threshold)}",
                    x = new[] { Time(withTraffic[0].Start), Time(withTraffic[^1].Start) }, y = new[] { threshold, threshold },
                    line = new { dash = "dash", color = "#c0392b" },
                });
            }
        }

        return JsonSerializer.Serialize(new
        {
            data = traces,
            layout = new { width = 760, height = 340, title = new { text = $"{timeline.Model}: drift statistic per {Core.Time.Durations.Format(timeline.Every)}" }, xaxis = new { title = new { text = "bucket (UTC)" } }, yaxis = new { title = new { text = "statistic" } } },
            config = new { responsive = true, displaylogo = false },
        });
    }

    private static string Time(DateTimeOffset time) => EmptyBuckets.Time(time);
}
