using System.Globalization;
using NotebookMl.Core.Data;
using NotebookMl.Core.Evaluation;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Predictions;

/// <summary>
/// How a model does on live traffic once labels arrive: the served answers in the prediction log joined to the
/// <see cref="FeedbackLabels"/> by request id and row, scored per time bucket with the metrics training reports
/// (binary: auc, pr_auc, log_loss, accuracy, f1 on <c>probability</c>; regression: rmse, mae, r2 on <c>prediction</c>),
/// beside the metrics the version was registered with (<c>test_auc</c>, …).
/// </summary>
/// <param name="Model">The model.</param>
/// <param name="Output">The output scored: probability or prediction.</param>
/// <param name="Task">binary or regression.</param>
/// <param name="AtRegistration">The registered version's test metrics, by metric name without <c>test_</c>.</param>
/// <param name="Buckets">The buckets, oldest first.</param>
public sealed record ModelPerformance(string Model, string Output, string Task, IReadOnlyDictionary<string, double> AtRegistration, IReadOnlyList<PerformanceBucket> Buckets)
{
    /// <summary>All labeled answers of the buckets together.</summary>
    public long Labeled => Buckets.Sum(b => b.Labeled);

    /// <summary>
    /// Scores <paramref name="model"/>'s labeled answers in each of <paramref name="buckets"/> ([start, end)); null when the
    /// model has no log, no labels, or no output to score.
    /// </summary>
    public static ModelPerformance? Compute(WorkspaceLocation workspace, string model, IReadOnlyDictionary<string, double> registered, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> buckets)
    {
        if (buckets.Count == 0 || PredictionLogFiles.Relation(workspace, model, buckets[0].Start) is not { } log || FeedbackLabels.Relation(workspace, model) is not { } labels)
        {
            return null;
        }

        using var connection = PredictionLogFiles.Connect();
        var columns = PredictionLogFiles.Columns(connection, log).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var (output, task) = columns.Contains("probability") ? ("probability", "binary") : columns.Contains("prediction") ? ("prediction", "regression") : (null, null);
        if (output is null)
        {
            return null;
        }

        var rows = PredictionLogFiles.Rows(connection, $"""
            SELECT l.time, CAST(l.{PredictionLogFiles.Quote(output)} AS DOUBLE), f.label
            FROM {log} l JOIN {labels} f ON CAST(l.request_id AS VARCHAR) = f.request_id AND l.row = f.row
            WHERE l.route <> 'shadow' AND l.{PredictionLogFiles.Quote(output)} IS NOT NULL AND l.time < {DuckDbSql.Timestamp(buckets[^1].End.UtcDateTime)}
            ORDER BY l.time
            """);
        var scored = buckets.Select(bucket =>
        {
            var inside = rows.Where(r => Time(r[0]) >= bucket.Start && Time(r[0]) < bucket.End).ToArray();
            var predicted = inside.Select(r => (float)Convert.ToDouble(r[1], CultureInfo.InvariantCulture)).ToArray();
            var actual = inside.Select(r => Convert.ToDouble(r[2], CultureInfo.InvariantCulture)).ToArray();
            IReadOnlyDictionary<string, double> metrics = inside.Length == 0 ? new Dictionary<string, double>()
                : task == "binary" ? BinaryMetrics.Of(actual.Select(a => a > 0.5).ToArray(), predicted).Values
                : RegressionMetrics.Of(actual, predicted).Values;
            return new PerformanceBucket(bucket.Start, bucket.End, inside.Length, metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal));
        }).ToArray();
        var atRegistration = registered.Where(m => m.Key.StartsWith("test_", StringComparison.Ordinal)).ToDictionary(m => m.Key["test_".Length..], m => m.Value, StringComparer.Ordinal);
        return new ModelPerformance(model, output, task!, atRegistration, scored);
    }

    private static DateTimeOffset Time(object? value) => new(DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc));
}

/// <summary>One bucket of <see cref="ModelPerformance"/>: [Start, End), its labeled answers and their metrics (none without labels).</summary>
public sealed record PerformanceBucket(DateTimeOffset Start, DateTimeOffset End, long Labeled, IReadOnlyDictionary<string, double> Metrics);
