using NotebookMl.Training.Onnx;
using NotebookMl.Training.Onnx.Proto;
using NotebookMl.Training.Preprocessing;
using static NotebookMl.Training.Onnx.OnnxGraphBuilder;
using DataType = NotebookMl.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace NotebookMl.Training.Tabular;

/// <summary>
/// The whole inference pipeline of a tabular model as one ONNX graph: one [N, 1] input per raw feature
/// (float for numbers, NaN when missing; string for categories, "" when missing), the preprocessing
/// (IsNaN/Where imputation, Sub/Mul scaling, ai.onnx.ml LabelEncoder as a rank or an index compared to 0..K-1 for one-hot), Concat, then
/// the model: ai.onnx.ml TreeEnsembleRegressor, MatMul + Add, or Gemm/Relu layers for the raw score, and for binary models
/// Platt's calibration as Mul, Add and Sigmoid. Outputs are plain tensors: <c>score</c>,
/// <c>probability</c> and <c>label</c> (binary) or <c>prediction</c> (regression).
/// </summary>
internal static class TabularOnnxExporter
{
    public static ModelProto Build(Preprocessor preprocessor, ModelGraph model, TaskKind task, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new OnnxGraphBuilder();
        var slots = new List<string>();
        foreach (var encoder in preprocessor.Encoders)
        {
            switch (encoder)
            {
                case NumericEncoder numeric:
                    slots.Add(Numeric(graph, numeric));
                    break;
                case CategoricalEncoder categorical when categorical.Width > 0:
                    slots.Add(Categorical(graph, categorical));
                    break;
                case CategoricalEncoder categorical:
                    graph.Input(categorical.Name, DataType.String, 1);
                    break;
            }
        }

        var features = slots.Count == 1 ? slots[0] : graph.Node("Concat", slots, [Attribute("axis", 1L)], name: "features");
        var score = model switch
        {
            TreeGraph trees => Trees(graph, features, trees),
            LinearGraph linear => graph.Node("Add", [graph.Node("MatMul", [features, graph.Constant("weights", linear.Weights, linear.Weights.Length, 1)], []), graph.Constant("bias", [linear.Bias], 1)], []),
            MlpGraph mlp => Dense(graph, features, mlp),
            _ => throw new NotSupportedException(model.GetType().Name),
        };

        if (task == TaskKind.Regression)
        {
            graph.Output(score, "prediction", DataType.Float, 1);
        }
        else
        {
            var platt = model.Calibrator ?? new Platt(-1, 0);
            // 1 / (1 + exp(a·s + b)) = sigmoid(−a·s − b)
            var logit = graph.Node("Add", [graph.Node("Mul", [score, graph.Constant("platt_slope", [(float)-platt.Slope], 1)], []), graph.Constant("platt_offset", [(float)-platt.Offset], 1)], []);
            var probability = graph.Node("Sigmoid", [logit], []);
            var label = graph.Node("Cast", [graph.Node("Greater", [probability, graph.Constant("half", [0.5f], 1)], [])], [Attribute("to", (long)DataType.Int64)]);
            graph.Output(score, "score", DataType.Float, 1);
            graph.Output(probability, "probability", DataType.Float, 1);
            graph.Output(label, "label", DataType.Int64, 1);
        }

        return graph.Model(ProducerVersion, metadata, $"NotebookMl {task.ToString().ToLowerInvariant()} model: {string.Join(", ", preprocessor.Encoders.Select(e => e.Name))} in.");
    }

    public static string ProducerVersion => OnnxGraphBuilder.ProducerVersion;

    private static string Numeric(OnnxGraphBuilder graph, NumericEncoder numeric)
    {
        var input = graph.Input(numeric.Name, DataType.Float, 1);
        var value = graph.Node("Where", [graph.Node("IsNaN", [input], []), graph.Constant($"{numeric.Name}_fill", [numeric.Fill], 1), input], [], name: $"{numeric.Name}_impute");
        if (numeric.Offset != 0)
        {
            value = graph.Node("Sub", [value, graph.Constant($"{numeric.Name}_offset", [numeric.Offset], 1)], []);
        }

        if (numeric.Scale != 1)
        {
            value = graph.Node("Mul", [value, graph.Constant($"{numeric.Name}_scale", [numeric.Scale], 1)], []);
        }

        return value;
    }

    private static string Categorical(OnnxGraphBuilder graph, CategoricalEncoder categorical)
    {
        var input = graph.Input(categorical.Name, DataType.String, 1);
        if (categorical.Encoding == CategoricalEncoding.Ordinal)
        {
            return graph.Node("LabelEncoder", [input], [
                Attribute("keys_strings", categorical.Categories),
                Attribute("values_floats", Enumerable.Range(0, categorical.Categories.Count).Select(i => (float)i)),
                Attribute("default_float", -1f)], domain: MlDomain, name: $"{categorical.Name}_rank");
        }

        // One-hot as category index (LabelEncoder, -1 when unknown) compared with 0..K-1: typed for the
        // checker's strict shape inference, which ai.onnx.ml's OneHotEncoder is not in onnx 1.12.
        var count = categorical.Categories.Count;
        var index = graph.Node("LabelEncoder", [input], [
            Attribute("keys_strings", categorical.Categories),
            Attribute("values_int64s", Enumerable.Range(0, count).Select(i => (long)i)),
            Attribute("default_int64", -1L)], domain: MlDomain, name: $"{categorical.Name}_index");
        var hot = graph.Node("Equal", [index, graph.Constant($"{categorical.Name}_positions", Enumerable.Range(0, count).Select(i => (long)i).ToArray(), 1, count)], [], name: $"{categorical.Name}_onehot");
        return graph.Node("Cast", [hot], [Attribute("to", (long)DataType.Float)]);
    }

    /// <summary>Gemm (transB: weights are [out, in]) and Relu per layer; the last layer has no Relu.</summary>
    internal static string Dense(OnnxGraphBuilder graph, string input, MlpGraph mlp)
    {
        var value = input;
        for (var l = 0; l < mlp.Layers.Count; l++)
        {
            var layer = mlp.Layers[l];
            value = graph.Node("Gemm", [value, graph.Constant($"dense{l}_weight", layer.Weight, layer.Outputs, layer.Inputs), graph.Constant($"dense{l}_bias", layer.Bias, layer.Outputs)], [Attribute("transB", 1L)], name: $"dense{l}");
            if (l < mlp.Layers.Count - 1)
            {
                value = graph.Node("Relu", [value], []);
            }
        }

        return value;
    }

    private static string Trees(OnnxGraphBuilder graph, string features, TreeGraph model)
    {
        var (treeIds, nodeIds, featureIds, values, modes, trueIds, falseIds) = (new List<long>(), new List<long>(), new List<long>(), new List<float>(), new List<string>(), new List<long>(), new List<long>());
        var (targetTrees, targetNodes, targetWeights) = (new List<long>(), new List<long>(), new List<float>());
        for (var t = 0; t < model.Trees.Count; t++)
        {
            var tree = model.Trees[t];
            var internals = tree.Feature.Length;
            // Internal nodes keep their ids; leaf k is node internals + k.
            long Id(int child) => child >= 0 ? child : internals + ~child;
            for (var n = 0; n < internals; n++)
            {
                treeIds.Add(t);
                nodeIds.Add(n);
                featureIds.Add(tree.Feature[n]);
                values.Add(tree.Threshold[n]);
                modes.Add("BRANCH_LEQ");
                trueIds.Add(Id(tree.Left[n]));
                falseIds.Add(Id(tree.Right[n]));
            }

            for (var leaf = 0; leaf < tree.Leaves.Length; leaf++)
            {
                treeIds.Add(t);
                nodeIds.Add(internals + leaf);
                featureIds.Add(0);
                values.Add(0);
                modes.Add("LEAF");
                trueIds.Add(0);
                falseIds.Add(0);
                targetTrees.Add(t);
                targetNodes.Add(internals + leaf);
                targetWeights.Add((float)(tree.Leaves[leaf] * tree.Weight));
            }
        }

        return graph.Node("TreeEnsembleRegressor", [features], [
            Attribute("n_targets", 1L),
            Attribute("aggregate_function", "SUM"),
            Attribute("post_transform", "NONE"),
            Attribute("base_values", [(float)model.Bias]),
            Attribute("nodes_treeids", treeIds),
            Attribute("nodes_nodeids", nodeIds),
            Attribute("nodes_featureids", featureIds),
            Attribute("nodes_values", values),
            Attribute("nodes_modes", modes),
            Attribute("nodes_truenodeids", trueIds),
            Attribute("nodes_falsenodeids", falseIds),
            Attribute("target_treeids", targetTrees),
            Attribute("target_nodeids", targetNodes),
            Attribute("target_ids", targetTrees.Select(_ => 0L)),
            Attribute("target_weights", targetWeights)], domain: MlDomain, name: "trees");
    }
}
