using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Evaluation;
using NotebookMl.Core.Options;
using NotebookMl.Core.Tracking;
using NotebookMl.Training.Preprocessing;
using NotebookMl.Training.Validation;
using RegressionMetrics = NotebookMl.Core.Evaluation.RegressionMetrics;

namespace NotebookMl.Training.Tabular;

/// <summary>
/// What cross-validation found: each fold's metrics (as the test metrics are named: auc, log_loss, …), their mean and
/// standard deviation (NumPy's default, over the folds), and every validated row's out-of-fold prediction.
/// </summary>
/// <param name="Cv">The cross-validation.</param>
/// <param name="FoldMetrics">Each fold's metrics, in fold order.</param>
/// <param name="Predictions">One row per validated row: its row in the data, fold, label, score and (binary) probability.</param>
public sealed record CrossValidationResult(CrossValidation Cv, IReadOnlyList<IReadOnlyDictionary<string, double>> FoldMetrics, DataFrame Predictions)
{
    /// <summary>The artifact the out-of-fold predictions are logged as.</summary>
    public const string PredictionsArtifact = "cv/predictions.parquet";

    /// <summary>Each metric's mean over the folds.</summary>
    public IReadOnlyDictionary<string, double> Mean => FoldMetrics[0].Keys.ToDictionary(k => k, k => FoldMetrics.Average(f => f[k]));

    /// <summary>Each metric's standard deviation over the folds (divided by the number of folds, as NumPy's <c>std</c>).</summary>
    public IReadOnlyDictionary<string, double> Std => FoldMetrics[0].Keys.ToDictionary(k => k, k =>
    {
        var mean = FoldMetrics.Average(f => f[k]);
        return Math.Sqrt(FoldMetrics.Average(f => (f[k] - mean) * (f[k] - mean)));
    });
}

/// <summary>
/// Cross-validates a learner on the training rows: folds as scikit-learn cuts them (<see cref="Folds"/>), preprocessing
/// fitted again on each fold's training rows, the fold's model scored on its validation rows. Logs
/// <c>fold_METRIC</c> (step = fold), <c>cv_METRIC</c> and <c>cv_METRIC_std</c>, and the out-of-fold predictions.
/// </summary>
internal static class CrossValidator
{
    /// <summary>Runs the folds <paramref name="cut"/> (from <see cref="Cut"/>) and logs what they found to <paramref name="run"/>.</summary>
    public static CrossValidationResult Run(DataFrame frame, double[] label, IReadOnlyList<string> features, (int[] Rows, Fold[] Folds) cut, TaskKind task, ITabularLearner learner, TrainingOptions options,
        TrackedRun? run, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        var cv = options.Cv!;
        var (rows, folds) = cut;
        var metrics = new List<IReadOnlyDictionary<string, double>>();
        var (oofRow, oofFold, oofLabel, oofScore, oofProbability) = (new List<long>(), new List<int>(), new List<double>(), new List<double>(), new List<double>());
        for (var f = 0; f < folds.Length; f++)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Report(new TrainingProgress($"cross-validation fold {f + 1}/{folds.Length}", 0.1 + (0.4 * f / folds.Length)));
            var (train, validation) = (folds[f].Train.Select(p => rows[p]).Order().ToArray(), folds[f].Validation.Select(p => rows[p]).Order().ToArray());
            var preprocessor = Preprocessor.Fit(frame, features, label, train, learner.Standardize, learner.Encoding, options.MaxCategories ?? (learner.Encoding == CategoricalEncoding.Ordinal ? 10_000 : 100));
            var input = new TrainingInput(preprocessor.Transform(frame), label, new DataSplit(train, validation), preprocessor, task, options, null, null, cancellation);
            var model = learner.Fit(input).Model;
            var (score, probability) = model.PredictVectors(input.VectorsOf(validation), validation.Length);
            var truth = validation.Select(r => label[r]).ToArray();
            metrics.Add(task == TaskKind.Binary ? BinaryMetrics.Of(truth.Select(v => v > 0.5).ToArray(), probability!).Values : RegressionMetrics.Of(truth, score).Values);
            oofRow.AddRange(validation.Select(r => (long)r));
            oofFold.AddRange(Enumerable.Repeat(f, validation.Length));
            oofLabel.AddRange(truth);
            oofScore.AddRange(score.Select(s => (double)s));
            oofProbability.AddRange(probability?.Select(p => (double)p) ?? Enumerable.Repeat(double.NaN, validation.Length));
        }

        var predictions = new DataFrame(
            new Int64DataFrameColumn("row", oofRow.Select(r => (long?)r)), new Int32DataFrameColumn("fold", oofFold.Select(f => (int?)f)),
            new DoubleDataFrameColumn("label", oofLabel.Select(v => (double?)v)), new DoubleDataFrameColumn("score", oofScore.Select(v => (double?)v)));
        if (task == TaskKind.Binary)
        {
            predictions.Columns.Add(new DoubleDataFrameColumn("probability", oofProbability.Select(v => (double?)v)));
        }

        var result = new CrossValidationResult(cv, metrics, predictions);
        if (run is not null)
        {
            Log(run, result);
        }

        return result;
    }

    /// <summary>
    /// The training rows in the order the folds cut them (time order for time folds), and the folds over their positions;
    /// a cut the rows cannot take is refused here, before anything is fitted or tracked.
    /// </summary>
    public static (int[] Rows, Fold[] Folds) Cut(DataFrame frame, double[] label, int[] trainRows, TaskKind task, TrainingOptions options)
    {
        var cv = options.Cv!;
        switch (cv.Kind)
        {
            case CvKind.KFold:
                return (trainRows, Folds.KFold(trainRows.Length, cv.Folds));
            case CvKind.Stratified:
                OptionChecks.Check(nameof(TrainingOptions.Cv), task == TaskKind.Binary, "stratified cross-validation needs a yes/no label; use kfold:K for a regression.");
                return (trainRows, Folds.Stratified(trainRows.Select(r => label[r]).ToArray(), cv.Folds));
            case CvKind.Group:
                var name = options.GroupColumn!;
                if (frame.Columns.IndexOf(name) < 0)
                {
                    throw new InvalidOptionException(nameof(TrainingOptions.GroupColumn), $"no column '{name}'; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
                }

                var column = frame.Columns[name];
                if (column is StringDataFrameColumn text)
                {
                    var groups = trainRows.Select(r => text[r]).ToArray();
                    return groups.Contains(null)
                        ? throw new InvalidOptionException(nameof(TrainingOptions.GroupColumn), $"column '{name}' has missing values in the training rows; every row needs a group.")
                        : (trainRows, Folds.Group(groups!, cv.Folds, StringComparer.Ordinal));
                }

                var numbers = Preprocessor.Numbers(column);
                var values = trainRows.Select(r => numbers[r]).ToArray();
                return values.Any(double.IsNaN)
                    ? throw new InvalidOptionException(nameof(TrainingOptions.GroupColumn), $"column '{name}' has missing values in the training rows; every row needs a group.")
                    : (trainRows, Folds.Group(values, cv.Folds, Comparer<double>.Default));
            default:
                var timeName = options.TimeColumn!;
                if (frame.Columns.IndexOf(timeName) < 0 || frame.Columns[timeName] is not PrimitiveDataFrameColumn<DateTime> times)
                {
                    throw new InvalidOptionException(nameof(TrainingOptions.TimeColumn), $"'{timeName}' is not a time column of the data.");
                }

                // Stable: rows at the same time keep their order, as a stable sort does in pandas.
                var ordered = trainRows.OrderBy(r => times[r] ?? DateTime.MinValue).ToArray();
                return options.Gap?.Span is { } span
                    ? (ordered, Folds.TimeSeries(ordered.Select(r => times[r] ?? DateTime.MinValue).ToArray(), cv.Folds, span))
                    : (ordered, Folds.TimeSeries(ordered.Length, cv.Folds, options.Gap?.Rows ?? 0));
        }
    }

    private static void Log(TrackedRun run, CrossValidationResult result)
    {
        for (var f = 0; f < result.FoldMetrics.Count; f++)
        {
            foreach (var (metric, value) in result.FoldMetrics[f])
            {
                run.LogMetric($"fold_{metric}", value, f);
            }
        }

        run.LogMetrics(result.Mean.ToDictionary(m => $"cv_{m.Key}", m => m.Value));
        run.LogMetrics(result.Std.ToDictionary(m => $"cv_{m.Key}_std", m => m.Value));
        var file = Path.Combine(Path.GetTempPath(), $"notebookml-cv-{Guid.NewGuid():N}.parquet");
        try
        {
            using (var writer = new DataFileWriter(file))
            {
                writer.Append(result.Predictions);
                writer.Complete();
            }

            run.LogArtifact(file, CrossValidationResult.PredictionsArtifact);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
