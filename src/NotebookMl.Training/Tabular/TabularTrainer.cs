using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Evaluation;
using NotebookMl.Training.Preprocessing;
using NotebookMl.Training.Registration;
using RegressionMetrics = NotebookMl.Core.Evaluation.RegressionMetrics;
using NotebookMl.Core.Options;
using NotebookMl.Training.Reference;

namespace NotebookMl.Training.Tabular;

/// <summary>A stage of training, for progress displays; with <paramref name="Metric"/>, also a point of that metric's curve.</summary>
/// <param name="Stage">What is happening (e.g. <c>epoch 2/5</c>).</param>
/// <param name="Fraction">How far along, 0–1.</param>
/// <param name="Metric">A metric with a new point (e.g. <c>train_loss</c>), or null.</param>
/// <param name="Step">The point's step (epoch, trees).</param>
/// <param name="Value">The point's value.</param>
public sealed record TrainingProgress(string Stage, double Fraction, string? Metric = null, double Step = 0, double Value = 0);

/// <summary>
/// Trains a tabular model on a DataFrame: split, preprocessing fitted on the training rows, the ML.NET
/// learner, test metrics, a validation curve over the trees, feature importance; tracked as a run
/// (params, curve, metrics, dataset digest, native and ONNX models) when an experiment is named; the
/// ONNX model is exported only after its parity check passes.
/// </summary>
public static class TabularTrainer
{
    /// <summary>Trains with the ML.NET learner named by <see cref="TrainingOptions.Model"/>.</summary>
    public static TrainedTabularModel Train(DataFrame frame, TrainingOptions options, IProgress<TrainingProgress>? progress = null, Tracker? tracker = null) =>
        Train(frame, options, new MlNetLearner(options.Model), progress, tracker);

    /// <summary>Trains with <paramref name="learner"/>; <paramref name="cancellation"/> stops it between steps and keeps the model so far.</summary>
    public static TrainedTabularModel Train(DataFrame frame, TrainingOptions options, ITabularLearner learner, IProgress<TrainingProgress>? progress = null, Tracker? tracker = null, CancellationToken cancellation = default)
    {
        options.Validate();
        var label = LabelValues(frame, options.Label);
        var task = options.Task ?? (frame.Columns[options.Label] is BooleanDataFrameColumn || label.All(v => v is 0 or 1) ? TaskKind.Binary : TaskKind.Regression);
        if (task == TaskKind.Binary && label.Any(v => v is not (0 or 1)))
        {
            throw new InvalidOptionException(nameof(TrainingOptions.Label), $"column '{options.Label}' has values other than 0/1 or true/false; a binary model needs a yes/no label (or train a regression).");
        }

        var features = options.Features.Count > 0
            ? options.Features
            : frame.Columns.Where(c => c.Name != options.Label && c.Name != options.TimeColumn && !options.Exclude.Contains(c.Name) && c is not PrimitiveDataFrameColumn<DateTime>).Select(c => c.Name).ToArray();
        if (features.Count == 0)
        {
            throw new InvalidOptionException(nameof(TrainingOptions.Features), "no feature columns left to train on.");
        }

        if (features.FirstOrDefault(f => frame.Columns.IndexOf(f) < 0) is { } missing)
        {
            throw new InvalidOptionException(nameof(TrainingOptions.Features), $"no column '{missing}'; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
        }

        // Lineage names only the feature views whose columns the model takes.
        options = options with { FeatureViews = Core.Features.FeatureLineage.UsedBy(options.FeatureViews, features.ToHashSet(StringComparer.Ordinal)) };

        progress?.Report(new TrainingProgress("splitting", 0.02));
        var split = DataSplit.Of(frame, label, options);
        if (split.Train.Length == 0 || split.Test.Length == 0)
        {
            throw new ArgumentException($"the split leaves {split.Train.Length} training and {split.Test.Length} test rows; both need rows.");
        }

        var folds = options.Cv is null ? ((int[], Validation.Fold[])?)null : CrossValidator.Cut(frame, label, split.Train, task, options);
        progress?.Report(new TrainingProgress("preprocessing", 0.05));
        var preprocessor = Preprocessor.Fit(frame, features, label, split.Train, learner.Standardize, learner.Encoding, options.MaxCategories ?? (learner.Encoding == CategoricalEncoding.Ordinal ? 10_000 : 100));
        var matrix = preprocessor.Transform(frame);
        var width = preprocessor.Width;

        using var run = options.Experiment is null ? null : (tracker ?? Tracker.ForCurrentWorkspace()).StartRun(options.Experiment, options.RunName);
        try
        {
            var digest = Digest(matrix, width, label, split.Train);
            run?.LogParams(Params(options, task, features, split));
            run?.LogInput(new DatasetInput("training", digest, options.RunName ?? "DataFrame", JsonSerializer.Serialize(features), "training"));
            foreach (var (view, version) in options.FeatureViews ?? new Dictionary<string, int>())
            {
                run?.LogInput(new DatasetInput($"feature_views/{view}", $"v{version}", "feature store", null, "features"));
            }

            var cv = folds is { } cut ? CrossValidator.Run(frame, label, features, cut, task, learner, options, run, progress, cancellation) : null;
            progress?.Report(new TrainingProgress($"training {options.Model.ToString().ToLowerInvariant()}", cv is null ? 0.1 : 0.5));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var input = new TrainingInput(matrix, label, split, preprocessor, task, options, run, progress, cancellation);
            var learned = learner.Fit(input);
            var facts = new TrainingFacts(run?.Id, (split.Train.Length, split.Test.Length), digest, clock.Elapsed.TotalSeconds);
            run?.LogMetric("training_seconds", facts.TrainingSeconds);

            progress?.Report(new TrainingProgress("evaluating", 0.8));
            var (score, probability) = learned.Model.PredictVectors(input.VectorsOf(split.Test), split.Test.Length);
            var testLabel = split.Test.Select(r => label[r]).ToArray();
            var binary = task == TaskKind.Binary ? BinaryMetrics.Of(testLabel.Select(v => v > 0.5).ToArray(), probability!) : null;
            var regression = task == TaskKind.Regression ? RegressionMetrics.Of(testLabel, score) : null;
            var trained = new TrainedTabularModel(learned, facts, binary, regression, Importance(learner.SlotImportance(learned.Model), preprocessor)) { CrossValidation = cv };
            TrainingRuns.Finish(run, trained.Metrics, trained.Interrupted, r =>
            {
                Artifacts(r, trained, frame, split);
                progress?.Report(new TrainingProgress("reference statistics", 0.97));
                var (trainScore, trainProbability) = learned.Model.PredictVectors(input.VectorsOf(split.Train), split.Train.Length);
                TrainingRuns.LogReference(r, ReferenceData.Statistics(frame, split.Train, trained.Inputs, new Dictionary<string, float[]> { [trained.PredictionOutput] = trainProbability ?? trainScore }),
                    ReferenceData.Sample(frame, split.Test, trained.Inputs, trained.Predictions));
            }, progress);
            return trained;
        }
        catch (Exception e) when (run is not null)
        {
            run.Fail(e);
            throw;
        }
    }

    /// <summary>The label as numbers: booleans 1/0; missing values are refused.</summary>
    private static double[] LabelValues(DataFrame frame, string name)
    {
        if (frame.Columns.IndexOf(name) < 0)
        {
            throw new InvalidOptionException(nameof(TrainingOptions.Label), $"no column '{name}'; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
        }

        var values = Preprocessor.Numbers(frame.Columns[name]);
        var missing = values.Count(double.IsNaN);
        return missing == 0 ? values : throw new InvalidOptionException(nameof(TrainingOptions.Label), $"column '{name}' has {missing} missing values; drop or fill those rows first.");
    }

    private static Dictionary<string, object?> Params(TrainingOptions o, TaskKind task, IReadOnlyList<string> features, DataSplit split)
    {
        var values = new Dictionary<string, object?>
        {
            ["model"] = o.Model.ToString().ToLowerInvariant(), ["task"] = task.ToString().ToLowerInvariant(), ["label"] = o.Label,
            ["features"] = string.Join(",", features), ["split"] = o.Split.ToString().ToLowerInvariant(), ["test_fraction"] = o.TestFraction,
            ["rows_train"] = split.Train.Length, ["rows_test"] = split.Test.Length, ["seed"] = o.Seed,
        };
        if (o.Cv is { } cv)
        {
            values["cv"] = cv.ToString();
            foreach (var (key, value) in new[] { ("group_column", o.GroupColumn), ("gap", o.Gap?.ToString()) }.Where(p => p.Item2 is not null))
            {
                values[key] = value;
            }
        }

        if (o.FeatureViews is { Count: > 0 } views)
        {
            values["feature_views"] = string.Join(",", views.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}:v{v.Value}"));
        }
        if (Learners.IsTrees(o.Model))
        {
            (values["trees"], values["leaves"], values["learning_rate"], values["min_rows_per_leaf"]) = (o.Tree.Trees, o.Tree.Leaves, o.Tree.LearningRate, o.Tree.MinRowsPerLeaf);
        }
        else if (o.Model == ModelKind.Mlp)
        {
            (values["hidden"], values["epochs"], values["batch_size"], values["learning_rate"], values["device"]) = (string.Join(",", o.Mlp.Hidden), o.Mlp.Epochs, o.Mlp.BatchSize, o.Mlp.LearningRate, o.Mlp.Device);
        }
        else
        {
            values["iterations"] = o.Linear.Iterations;
        }

        return values;
    }

    private static string Digest(float[] matrix, int width, double[] label, int[] rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in rows)
        {
            hash.AppendData(MemoryMarshal.AsBytes(matrix.AsSpan(row * width, width)));
            hash.AppendData(BitConverter.GetBytes(label[row]));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static IReadOnlyList<(string, double)> Importance(double[] slots, Preprocessor preprocessor)
    {
        var offset = 0;
        var result = new List<(string, double)>();
        foreach (var encoder in preprocessor.Encoders)
        {
            result.Add((encoder.Name, slots.Skip(offset).Take(encoder.Width).Sum()));
            offset += encoder.Width;
        }

        return result.OrderByDescending(r => r.Item2).ToArray();
    }

    private static void Artifacts(TrackedRun run, TrainedTabularModel trained, DataFrame frame, DataSplit split)
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-train-");
        try
        {
            foreach (var (file, artifactPath) in trained.SaveNative(folder.FullName))
            {
                run.LogArtifact(file, artifactPath);
            }

            run.LogText(JsonSerializer.Serialize(new { metrics = trained.Metrics, curve = trained.Curve.Select(c => new { trees = c.Step, value = c.Value }), importance = trained.Importance.ToDictionary(i => i.Feature, i => i.Importance) }, new JsonSerializerOptions { WriteIndented = true }), "metrics.json");

            // The ONNX model is kept only when it passes the parity check on (up to 2,000) test rows.
            var validation = frame[split.Test.Take(2000)];
            TrainingRuns.LogOnnx(run, trained.ExportOnnx(validation), trained.Options.OnnxPath);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
