using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using NotebookMl.Core.Evaluation;
using NotebookMl.Training.Preprocessing;
using RegressionMetrics = NotebookMl.Core.Evaluation.RegressionMetrics;

namespace NotebookMl.Training.Tabular;

/// <summary>The ML.NET learners: trees get raw numbers and ranked categories, linear models standardized numbers and one-hot categories.</summary>
public sealed class MlNetLearner(ModelKind model) : ITabularLearner
{
    /// <inheritdoc/>
    public bool Standardize => !Learners.IsTrees(model);

    /// <inheritdoc/>
    public CategoricalEncoding Encoding => Learners.IsTrees(model) ? CategoricalEncoding.Ordinal : CategoricalEncoding.OneHot;

    /// <inheritdoc/>
    public LearnedModel Fit(TrainingInput input)
    {
        var ml = new MLContext(input.Options.Seed);
        var train = VectorData.Load(ml, input.Matrix, input.Width, input.Label, input.Split.Train, input.Task);
        var transformer = Learners.For(ml, input.Options, input.Task).Fit(train);
        var model = new MlNetModel(ml, transformer, train.Schema, input.Preprocessor, input.Task, input.Options);
        var (metric, curve) = ValidationCurve(model.Graph, input);
        foreach (var (step, value) in curve)
        {
            input.Run?.LogMetric($"valid_{metric}", value, step);
            input.Progress?.Report(new TrainingProgress("validating", 0.75, $"valid_{metric}", step, value));
        }

        return new LearnedModel(model, metric, curve);
    }

    /// <inheritdoc/>
    public double[] SlotImportance(FittedTabularModel trained)
    {
        var slots = new double[trained.Preprocessor.Width];
        if (trained.Graph is LinearGraph linear)
        {
            return linear.Weights.Select(w => (double)Math.Abs(w)).ToArray();
        }

        var ensemble = ((MlNetModel)trained).Model is IPredictionTransformer<object> { Model: var parameters } ? parameters switch
        {
            CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> c => c.SubModel,
            CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> c => c.SubModel,
            TreeEnsembleModelParametersBasedOnRegressionTree t => t,
            _ => null,
        } : null;
        var weights = default(VBuffer<float>);
        ensemble?.GetFeatureWeights(ref weights);
        var dense = weights.DenseValues().ToArray();
        for (var i = 0; i < Math.Min(dense.Length, slots.Length); i++)
        {
            slots[i] = dense[i];
        }

        return slots;
    }

    /// <summary>For trees: the test metric (AUC or RMSE) after every k trees, on up to 20,000 test rows, from the exported arithmetic.</summary>
    private static (string Metric, IReadOnlyList<(int, double)> Curve) ValidationCurve(ModelGraph graph, TrainingInput input)
    {
        var metric = input.Task == TaskKind.Binary ? "auc" : "rmse";
        if (graph is not TreeGraph trees || trees.Trees.Count == 0)
        {
            return (metric, []);
        }

        var test = input.Split.Test;
        var sample = Math.Min(test.Length, 20_000);
        var labels = test.Take(sample).Select(r => input.Label[r]).ToArray();
        var scores = Enumerable.Repeat(trees.Bias, sample).ToArray();
        var step = Math.Max(1, trees.Trees.Count / 50);
        var curve = new List<(int, double)>();
        for (var t = 0; t < trees.Trees.Count; t++)
        {
            var tree = trees.Trees[t];
            for (var i = 0; i < sample; i++)
            {
                scores[i] += tree.Evaluate(input.Matrix.AsSpan(test[i] * input.Width, input.Width));
            }

            if ((t + 1) % step == 0 || t == trees.Trees.Count - 1)
            {
                curve.Add((t + 1, input.Task == TaskKind.Binary
                    ? BinaryMetrics.Of(labels.Select(v => v > 0.5).ToArray(), scores.Select(s => (float)trees.Probability(s)).ToArray()).Auc
                    : RegressionMetrics.Of(labels, scores.Select(s => (float)s).ToArray()).Rmse));
            }
        }

        return (metric, curve);
    }
}
