using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace NotebookMl.Training.Tabular;

/// <summary>
/// A trained model's arithmetic, read out of ML.NET's model parameters: what the ONNX exporter writes
/// and what per-iteration metrics evaluate. Raw score = trees or weights; probability (binary) =
/// Platt's <c>1 / (1 + exp(Slope × score + Offset))</c>, as ML.NET's PlattCalibrator computes it.
/// </summary>
public abstract record ModelGraph(Platt? Calibrator)
{
    /// <summary>Reads the parameters of the model in <paramref name="transformer"/>.</summary>
    internal static ModelGraph From(ITransformer transformer) => transformer switch
    {
        IPredictionTransformer<object> prediction => FromParameters(prediction.Model),
        _ => throw new NotSupportedException($"model {transformer.GetType().Name} cannot be exported."),
    };

    private static ModelGraph FromParameters(object parameters) => parameters switch
    {
        CalibratedModelParametersBase<Microsoft.ML.Trainers.LightGbm.LightGbmBinaryModelParameters, PlattCalibrator> c => Trees(c.SubModel, new Platt(c.Calibrator.Slope, c.Calibrator.Offset)),
        CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> c => Trees(c.SubModel, new Platt(c.Calibrator.Slope, c.Calibrator.Offset)),
        CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> c => new LinearGraph([.. c.SubModel.Weights], c.SubModel.Bias, new Platt(c.Calibrator.Slope, c.Calibrator.Offset)),
        TreeEnsembleModelParametersBasedOnRegressionTree trees => Trees(trees, null),
        LinearRegressionModelParameters linear => new LinearGraph([.. linear.Weights], linear.Bias, null),
        _ => throw new NotSupportedException($"model parameters {parameters.GetType().Name} cannot be exported."),
    };

    private static TreeGraph Trees(TreeEnsembleModelParametersBasedOnRegressionTree model, Platt? platt)
    {
        var ensemble = model.TrainedTreeEnsemble;
        var trees = ensemble.Trees.Select((tree, t) =>
        {
            if (tree.CategoricalSplitFlags.Any(f => f))
            {
                throw new NotSupportedException("a tree with categorical splits cannot be exported (NotebookMl encodes categories itself).");
            }

            return new Tree([.. tree.NumericalSplitFeatureIndexes], [.. tree.NumericalSplitThresholds], [.. tree.LeftChild], [.. tree.RightChild], [.. tree.LeafValues], ensemble.TreeWeights[t]);
        }).ToArray();
        return new TreeGraph(trees, ensemble.Bias, platt);
    }

    /// <summary>The raw score of one row's vector.</summary>
    public abstract double Score(ReadOnlySpan<float> features);

    /// <summary>The probability of a raw score (binary models).</summary>
    public double Probability(double score) => Calibrator is { } p ? 1 / (1 + Math.Exp((p.Slope * score) + p.Offset)) : score;
}

/// <summary>Platt scaling's parameters.</summary>
public sealed record Platt(double Slope, double Offset);

/// <summary>One regression tree: internal node i splits on <c>features[Feature[i]] ≤ Threshold[i]</c> to Left[i], else Right[i]; a negative child c is leaf ~c.</summary>
public sealed record Tree(int[] Feature, float[] Threshold, int[] Left, int[] Right, double[] Leaves, double Weight)
{
    public double Evaluate(ReadOnlySpan<float> features)
    {
        if (Feature.Length == 0)
        {
            return Leaves[0] * Weight;
        }

        var node = 0;
        while (node >= 0)
        {
            node = features[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
        }

        return Leaves[~node] * Weight;
    }
}

/// <summary>Boosted trees: the score is the bias plus every tree's leaf value.</summary>
public sealed record TreeGraph(IReadOnlyList<Tree> Trees, double Bias, Platt? Calibrator) : ModelGraph(Calibrator)
{
    public override double Score(ReadOnlySpan<float> features) => Score(features, Trees.Count);

    /// <summary>The score of the first <paramref name="count"/> trees.</summary>
    public double Score(ReadOnlySpan<float> features, int count)
    {
        var sum = Bias;
        for (var t = 0; t < count; t++)
        {
            sum += Trees[t].Evaluate(features);
        }

        return sum;
    }
}

/// <summary>A linear model: the score is weights · features + bias.</summary>
public sealed record LinearGraph(float[] Weights, float Bias, Platt? Calibrator) : ModelGraph(Calibrator)
{
    public override double Score(ReadOnlySpan<float> features)
    {
        double sum = Bias;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += Weights[i] * features[i];
        }

        return sum;
    }
}

/// <summary>A dense layer: <c>y = x · Wᵀ + b</c> with W of shape [Outputs, Inputs] (row-major), then ReLU unless it is the last.</summary>
public sealed record DenseLayer(float[] Weight, float[] Bias, int Inputs, int Outputs);

/// <summary>A multi-layer perceptron: dense layers with ReLU between them; the last gives the raw score (a logit for binary models).</summary>
public sealed record MlpGraph(IReadOnlyList<DenseLayer> Layers, Platt? Calibrator) : ModelGraph(Calibrator)
{
    public override double Score(ReadOnlySpan<float> features)
    {
        var input = features.ToArray();
        for (var l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            var output = new float[layer.Outputs];
            for (var o = 0; o < layer.Outputs; o++)
            {
                var sum = layer.Bias[o];
                for (var i = 0; i < layer.Inputs; i++)
                {
                    sum += layer.Weight[(o * layer.Inputs) + i] * input[i];
                }

                output[o] = l < Layers.Count - 1 ? Math.Max(0, sum) : sum;
            }

            input = output;
        }

        return input[0];
    }
}
