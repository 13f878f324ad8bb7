using System.Globalization;
using NotebookMl.Extensions.Ml.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Training.Tabular;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;
using NotebookMl.Verbs.Formatting;


namespace NotebookMl.Extensions.Ml.Training;

/// <summary>
/// A trained tabular model as a person reads it: tables of metrics, importance and the confusion
/// matrix (terminal and notebook), and in a notebook the ROC and precision-recall curves, the
/// validation curve and the importance as charts (Plotly.NET).
/// </summary>
public sealed class TrainingReport(TrainedTabularModel trained) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var title = $"{trained.Options.Model.ToString().ToLowerInvariant()} {trained.Task.ToString().ToLowerInvariant()}{(trained.Interrupted ? " (interrupted)" : "")}: " +
            $"{trained.Rows.Train:N0} training rows, {trained.Rows.Test:N0} test rows, fit in {trained.TrainingSeconds:0.0} s; run {trained.RunId}";
        var tables = new List<Table>
        {
            new(["metric", "value"], trained.Metrics.Select(m => (IReadOnlyList<string>)[m.Key, Number(m.Value)]).ToArray()) { Title = title },
            new(["feature", "importance"], trained.Importance.Select(i => (IReadOnlyList<string>)[i.Feature, i.Importance.ToString("0.####", CultureInfo.InvariantCulture)]).ToArray()) { Title = "Feature importance" },
        };
        if (trained.CrossValidation is { } cv)
        {
            // A column per fold, then the mean and the standard deviation: the spread says how much a single split is worth.
            var (mean, std) = (cv.Mean, cv.Std);
            tables.Add(new Table(["metric", .. Enumerable.Range(1, cv.FoldMetrics.Count).Select(f => $"fold {f}"), "mean", "std"],
                mean.Keys.Select(m => (IReadOnlyList<string>)[m, .. cv.FoldMetrics.Select(f => Number(f[m])), Number(mean[m]), Number(std[m])]).ToArray())
            {
                Title = $"Cross-validation ({cv.Cv}) of the training rows; out-of-fold predictions in the run's {CrossValidationResult.PredictionsArtifact}",
            });
        }

        if (trained.Binary is { } b)
        {
            tables.Add(new Table(["actual", "predicted positive", "predicted negative"], [["positive", $"{b.TruePositives}", $"{b.FalseNegatives}"], ["negative", $"{b.FalsePositives}", $"{b.TrueNegatives}"]]) { Title = "Confusion matrix (threshold 0.5)" });
        }

        return tables;
    }

    /// <inheritdoc/>
    public object ToJson() => new
    {
        run_id = trained.RunId, model = trained.Options.Model.ToString().ToLowerInvariant(), task = trained.Task.ToString().ToLowerInvariant(),
        rows_train = trained.Rows.Train, rows_test = trained.Rows.Test, training_seconds = trained.TrainingSeconds, metrics = trained.Metrics,
        importance = trained.Importance.ToDictionary(i => i.Feature, i => i.Importance), interrupted = trained.Interrupted,
        curve = trained.Curve.Select(c => new { step = c.Step, value = c.Value }), curve_metric = trained.CurveMetric,
        onnx = trained.Options.OnnxPath is { } p ? Path.GetFullPath(p) : null, training_data_sha256 = trained.TrainingDigest,
        cross_validation = trained.CrossValidation is { } cv
            ? new { cv = cv.Cv.ToString(), folds = cv.FoldMetrics, mean = cv.Mean, std = cv.Std, predictions = CrossValidationResult.PredictionsArtifact }
            : null,
    };

    private static string Number(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() =>
    [
        new("text/plain", string.Join("\n", ToTables().Select(TextTable.Render))),
        new("text/html", ToHtml()),
    ];

    /// <summary>The tables followed by the charts.</summary>
    public string ToHtml() => NotebookMl.Extensions.Ml.Charts.PlotlyHtml.Output(string.Concat(ToTables().Select(t => TableFormatter.ToHtml(t))) + string.Concat(Charts()));

    private IEnumerable<string> Charts()
    {
        if (trained.Binary is { } b)
        {
            yield return Chart("ROC curve", CSharpChart.Line<double, double, string>(x: b.Roc.Select(p => p.X), y: b.Roc.Select(p => p.Y), Name: $"AUC {b.Auc:0.0000}"), "false positive rate", "true positive rate");
            yield return Chart("Precision-recall curve", CSharpChart.Line<double, double, string>(x: b.PrecisionRecall.Select(p => p.X), y: b.PrecisionRecall.Select(p => p.Y), Name: $"PR-AUC {b.PrAuc:0.0000}"), "recall", "precision");
        }

        if (trained.Curve.Count > 1)
        {
            var unit = trained.Options.Model is ModelKind.Mlp ? "epoch" : "trees";
            yield return Chart($"valid_{trained.CurveMetric} by {unit}", CSharpChart.Line<int, double, string>(x: trained.Curve.Select(c => c.Step), y: trained.Curve.Select(c => c.Value), Name: trained.CurveMetric, ShowMarkers: trained.Curve.Count < 60), unit, trained.CurveMetric);
        }

        if (trained.Importance.Count > 0)
        {
            var ordered = trained.Importance.Reverse().ToArray();
            yield return Chart("Feature importance", CSharpChart.Bar<double, string, string>(values: ordered.Select(i => i.Importance).ToArray(), Keys: ordered.Select(i => i.Feature).ToArray()), "importance", "feature");
        }
    }

    private static string Chart(string title, GenericChart chart, string xTitle, string yTitle) =>
        $"<h4>{Html.Encode(title)} <small>(x: {Html.Encode(xTitle)}, y: {Html.Encode(yTitle)})</small></h4>" + NotebookMl.Extensions.Ml.Charts.PlotlyHtml.Render(Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 560, 360));
}
