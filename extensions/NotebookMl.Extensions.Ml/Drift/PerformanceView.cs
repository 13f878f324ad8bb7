using System.Globalization;
using NotebookMl.Core.Predictions;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Drift;

/// <summary>A model's metrics on labeled live traffic, per bucket beside those at registration: as a table and as JSON.</summary>
internal static class PerformanceView
{
    public static Table Table(ModelPerformance performance)
    {
        var metrics = Metrics(performance);
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "at registration", "" }.Concat(metrics.Select(m => performance.AtRegistration.TryGetValue(m, out var v) ? Tracking.Html.Number(v) : "")).ToArray(),
        };
        rows.AddRange(EmptyBuckets.Rows(performance.Buckets, b => b.Labeled == 0, b => (b.Start, b.End), b => new[] { EmptyBuckets.Time(b.Start), b.Labeled.ToString("N0", CultureInfo.InvariantCulture) }
            .Concat(metrics.Select(m => b.Metrics.TryGetValue(m, out var v) ? Tracking.Html.Number(v) + Change(performance, m, v) : "")).ToArray(), 2 + metrics.Length));
        return new Table(["bucket (UTC)", "labeled", .. metrics], rows)
        {
            Title = $"Performance of {performance.Model} on labeled traffic ({performance.Task}, {performance.Output}): {performance.Labeled:N0} labeled answers",
        };
    }

    public static object Json(ModelPerformance performance) => new
    {
        output = performance.Output,
        task = performance.Task,
        labeled = performance.Labeled,
        at_registration = performance.AtRegistration,
        buckets = performance.Buckets.Select(b => new { start = b.Start, end = b.End, labeled = b.Labeled, metrics = b.Metrics }),
    };

    private static string[] Metrics(ModelPerformance performance) =>
        performance.Buckets.SelectMany(b => b.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static string Change(ModelPerformance performance, string metric, double value) =>
        performance.AtRegistration.TryGetValue(metric, out var registered) ? $" ({(value - registered >= 0 ? "+" : "")}{Tracking.Html.Number(value - registered)})" : "";
}
