using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using NotebookMl.Core.Tracking;
using NotebookMl.Training.Evaluation;
using NotebookMl.Training.Preprocessing;
using RegressionMetrics = NotebookMl.Training.Evaluation.RegressionMetrics;

namespace NotebookMl.Training.Tabular;

/// <summary>A stage of training, for progress displays.</summary>
public sealed record TrainingProgress(string Stage, double Fraction);

/// <summary>
/// Trains a tabular model on a DataFrame: split, preprocessing fitted on the training rows, the ML.NET
/// learner, test metrics, a validation curve over the trees, feature importance; tracked as a run
/// (params, curve, metrics, dataset digest, native and ONNX models) when an experiment is named; the
/// ONNX model is exported only after its parity check passes.
/// </summary>
public static class TabularTrainer
{
    public static TrainedTabularModel Train(DataFrame frame, TrainingOptions options, IProgress<TrainingProgress>? progress = null, Tracker? tracker = null)
    {
        var label = LabelValues(frame, options.Label);
        var task = options.Task ?? (frame.Columns[options.Label] is BooleanDataFrameColumn || label.All(v => v is 0 or 1) ? TaskKind.Binary : TaskKind.Regression);
        if (task == TaskKind.Binary && label.Any(v => v is not (0 or 1)))
        {
            throw new ArgumentException($"--label: column '{options.Label}' has values other than 0/1 or true/false; a binary model needs a yes/no label (or use --task regression).");
        }

        var features = options.Features.Count > 0
            ? options.Features
            : frame.Columns.Where(c => c.Name != options.Label && c.Name != options.TimeColumn && !options.Exclude.Contains(c.Name) && c is not PrimitiveDataFrameColumn<DateTime>).Select(c => c.Name).ToArray();
        if (features.Count == 0)
        {
            throw new ArgumentException("--features: no feature columns left to train on.");
        }

        progress?.Report(new TrainingProgress("splitting", 0.02));
        var split = DataSplit.Of(frame, label, options);
        if (split.Train.Length == 0 || split.Test.Length == 0)
        {
            throw new ArgumentException($"the split leaves {split.Train.Length} training and {split.Test.Length} test rows; both need rows.");
        }

        var trees = Learners.IsTrees(options.Model);
        progress?.Report(new TrainingProgress("preprocessing", 0.05));
        var preprocessor = Preprocessor.Fit(frame, features, label, split.Train, standardize: !trees, trees ? CategoricalEncoding.Ordinal : CategoricalEncoding.OneHot, options.MaxCategories);
        var matrix = preprocessor.Transform(frame);
        var width = preprocessor.Width;
        var ml = new MLContext(options.Seed);
        var train = VectorData.Load(ml, matrix, width, label, split.Train, task);
        var test = VectorData.Load(ml, matrix, width, label, split.Test, task);

        using var run = options.Experiment is null ? null : (tracker ?? Tracker.ForCurrentWorkspace()).StartRun(options.Experiment, options.RunName);
        try
        {
            var digest = Digest(matrix, width, label, split.Train);
            run?.LogParams(Params(options, task, features, split));
            run?.LogInput(new DatasetInput("training", digest, options.RunName ?? "DataFrame", JsonSerializer.Serialize(features), "training"));

            progress?.Report(new TrainingProgress($"training {options.Model.ToString().ToLowerInvariant()}", 0.1));
            var model = Learners.For(ml, options, task).Fit(train);
            var trained = new TrainedTabularModel(ml, model, train.Schema, preprocessor, task, options)
            {
                RunId = run?.Id, Rows = (split.Train.Length, split.Test.Length), TrainingDigest = digest,
            };

            progress?.Report(new TrainingProgress("evaluating", 0.8));
            var (score, probability) = VectorData.Predict(model, test, task);
            var testLabel = split.Test.Select(r => label[r]).ToArray();
            if (task == TaskKind.Binary)
            {
                trained.Binary = BinaryMetrics.Of(testLabel.Select(v => v > 0.5).ToArray(), probability!);
            }
            else
            {
                trained.Regression = RegressionMetrics.Of(testLabel, score);
            }

            (trained.CurveMetric, trained.Curve) = ValidationCurve(trained.Graph, matrix, width, split.Test, testLabel, task);
            trained.Importance = Importance(model, trained.Graph, preprocessor);
            foreach (var (step, value) in trained.Curve)
            {
                run?.LogMetric($"valid_{trained.CurveMetric}", value, step);
            }

            run?.LogMetrics(trained.Metrics.ToDictionary(m => $"test_{m.Key}", m => m.Value));
            if (run is not null)
            {
                progress?.Report(new TrainingProgress("saving artifacts", 0.9));
                Artifacts(run, trained, frame, split);
            }

            progress?.Report(new TrainingProgress("done", 1));
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
            throw new ArgumentException($"--label: no column '{name}'; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
        }

        var values = Preprocessor.Numbers(frame.Columns[name]);
        var missing = values.Count(double.IsNaN);
        return missing == 0 ? values : throw new ArgumentException($"--label: column '{name}' has {missing} missing values; drop or fill those rows first.");
    }

    private static Dictionary<string, object?> Params(TrainingOptions o, TaskKind task, IReadOnlyList<string> features, DataSplit split)
    {
        var values = new Dictionary<string, object?>
        {
            ["model"] = o.Model.ToString().ToLowerInvariant(), ["task"] = task.ToString().ToLowerInvariant(), ["label"] = o.Label,
            ["features"] = string.Join(",", features), ["split"] = o.Split.ToString().ToLowerInvariant(), ["test_fraction"] = o.TestFraction,
            ["rows_train"] = split.Train.Length, ["rows_test"] = split.Test.Length, ["seed"] = o.Seed,
        };
        if (Learners.IsTrees(o.Model))
        {
            (values["trees"], values["leaves"], values["learning_rate"], values["min_rows_per_leaf"]) = (o.Trees, o.Leaves, o.LearningRate, o.MinRowsPerLeaf);
        }
        else
        {
            values["iterations"] = o.Iterations;
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

    /// <summary>For trees: the test metric (AUC or RMSE) after every k trees, on up to 20,000 test rows, from the exported arithmetic.</summary>
    private static (string Metric, IReadOnlyList<(int, double)> Curve) ValidationCurve(ModelGraph graph, float[] matrix, int width, int[] test, double[] testLabel, TaskKind task)
    {
        var metric = task == TaskKind.Binary ? "auc" : "rmse";
        if (graph is not TreeGraph trees || trees.Trees.Count == 0)
        {
            return (metric, []);
        }

        var sample = Math.Min(test.Length, 20_000);
        var scores = Enumerable.Repeat(trees.Bias, sample).ToArray();
        var step = Math.Max(1, trees.Trees.Count / 50);
        var curve = new List<(int, double)>();
        for (var t = 0; t < trees.Trees.Count; t++)
        {
            var tree = trees.Trees[t];
            for (var i = 0; i < sample; i++)
            {
                scores[i] += tree.Evaluate(matrix.AsSpan(test[i] * width, width));
            }

            if ((t + 1) % step == 0 || t == trees.Trees.Count - 1)
            {
                var labels = testLabel.Take(sample).ToArray();
                curve.Add((t + 1, task == TaskKind.Binary
                    ? BinaryMetrics.Of(labels.Select(v => v > 0.5).ToArray(), scores.Select(s => (float)trees.Probability(s)).ToArray()).Auc
                    : RegressionMetrics.Of(labels, scores.Select(s => (float)s).ToArray()).Rmse));
            }
        }

        return (metric, curve);
    }

    private static IReadOnlyList<(string, double)> Importance(ITransformer model, ModelGraph graph, Preprocessor preprocessor)
    {
        var slots = new double[preprocessor.Width];
        if (graph is LinearGraph linear)
        {
            for (var i = 0; i < slots.Length; i++)
            {
                slots[i] = Math.Abs(linear.Weights[i]);
            }
        }
        else if (model is IPredictionTransformer<object> { Model: var parameters })
        {
            var ensemble = parameters switch
            {
                Microsoft.ML.Calibrators.CalibratedModelParametersBase<Microsoft.ML.Trainers.LightGbm.LightGbmBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator> c => c.SubModel,
                Microsoft.ML.Calibrators.CalibratedModelParametersBase<FastTreeBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator> c => c.SubModel,
                TreeEnsembleModelParametersBasedOnRegressionTree t => t,
                _ => null,
            };
            var weights = default(VBuffer<float>);
            ensemble?.GetFeatureWeights(ref weights);
            var dense = weights.DenseValues().ToArray();
            for (var i = 0; i < Math.Min(dense.Length, slots.Length); i++)
            {
                slots[i] = dense[i];
            }
        }

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
            var modelPath = Path.Combine(folder.FullName, "model.zip");
            var preprocessingPath = Path.Combine(folder.FullName, "preprocessing.json");
            trained.Save(modelPath, preprocessingPath);
            run.LogArtifact(modelPath, "model/model.zip");
            run.LogArtifact(preprocessingPath, "model/preprocessing.json");
            run.LogText(JsonSerializer.Serialize(new { metrics = trained.Metrics, curve = trained.Curve.Select(c => new { trees = c.Step, value = c.Value }), importance = trained.Importance.ToDictionary(i => i.Feature, i => i.Importance) }, new JsonSerializerOptions { WriteIndented = true }), "metrics.json");

            // The ONNX model is kept only when it passes the parity check on (up to 2,000) test rows.
            var validation = frame[split.Test.Take(2000)];
            var onnx = trained.ExportOnnx(validation);
            run.LogArtifact(new MemoryStream(onnx), "model/model.onnx");
            if (trained.Options.OnnxPath is { } path)
            {
                var full = Path.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, onnx);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
