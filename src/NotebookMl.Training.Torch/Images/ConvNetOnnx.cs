using NotebookMl.Training.Onnx;
using NotebookMl.Training.Onnx.Proto;
using static NotebookMl.Training.Onnx.OnnxGraphBuilder;
using DataType = NotebookMl.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace NotebookMl.Training.Torch.Images;

/// <summary>
/// <see cref="ConvNet"/> as standard ONNX ops: raw pixels [N, 1, H, W] in; Mul/Sub/Mul normalization,
/// Conv, BatchNormalization (inference: running statistics), Relu, MaxPool, Conv, Relu, MaxPool, Flatten,
/// Gemm, Relu, Gemm; <c>probabilities</c> (Softmax) and <c>label</c> (ArgMax) out.
/// </summary>
internal static class ConvNetOnnx
{
    public static ModelProto Build(ConvNet network, int height, int width, int classes, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new OnnxGraphBuilder();
        var image = graph.Input("image", DataType.Float, [1, height, width]);
        var x = graph.Node("Mul", [image, graph.Constant("inv_255", [1f / 255f], 1)], []);
        x = graph.Node("Sub", [x, graph.Constant("pixel_mean", [ConvNet.Mean], 1)], []);
        x = graph.Node("Mul", [x, graph.Constant("pixel_inv_std", [1f / ConvNet.Deviation], 1)], []);
        x = Conv(graph, x, network.Conv1, "conv1");
        var norm = network.Norm1;
        x = graph.Node("BatchNormalization", [x, Floats(graph, "norm1_scale", norm.weight!), Floats(graph, "norm1_bias", norm.bias!), Floats(graph, "norm1_mean", norm.running_mean!), Floats(graph, "norm1_var", norm.running_var!)],
            [Attribute("epsilon", 1e-5f)], name: "norm1");
        x = Pool(graph, graph.Node("Relu", [x], []));
        x = Pool(graph, graph.Node("Relu", [Conv(graph, x, network.Conv2, "conv2")], []));
        x = graph.Node("Flatten", [x], [Attribute("axis", 1L)]);
        x = graph.Node("Relu", [Dense(graph, x, network.Dense1, "dense1")], []);
        var logits = Dense(graph, x, network.Dense2, "dense2");
        var probabilities = graph.Node("Softmax", [logits], [Attribute("axis", 1L)]);
        var label = graph.Node("ArgMax", [logits], [Attribute("axis", 1L), Attribute("keepdims", 1L)]);
        graph.Output(probabilities, "probabilities", DataType.Float, classes);
        graph.Output(label, "label", DataType.Int64, 1);
        return graph.Model(OnnxGraphBuilder.ProducerVersion, metadata, $"NotebookMl image classifier: raw pixels [N, 1, {height}, {width}] in, {classes} class probabilities out.");
    }

    private static string Conv(OnnxGraphBuilder graph, string input, TorchSharp.Modules.Conv2d conv, string name)
    {
        var weight = conv.weight!;
        return graph.Node("Conv", [input, Floats(graph, $"{name}_weight", weight), Floats(graph, $"{name}_bias", conv.bias!)],
            [Attribute("kernel_shape", [weight.shape[2], weight.shape[3]]), Attribute("pads", [1L, 1L, 1L, 1L]), Attribute("strides", [1L, 1L])], name: name);
    }

    private static string Pool(OnnxGraphBuilder graph, string input) =>
        graph.Node("MaxPool", [input], [Attribute("kernel_shape", [2L, 2L]), Attribute("strides", [2L, 2L])]);

    private static string Dense(OnnxGraphBuilder graph, string input, TorchSharp.Modules.Linear linear, string name) =>
        graph.Node("Gemm", [input, Floats(graph, $"{name}_weight", linear.weight!), Floats(graph, $"{name}_bias", linear.bias!)], [Attribute("transB", 1L)], name: name);

    private static string Floats(OnnxGraphBuilder graph, string name, TorchSharp.torch.Tensor tensor) =>
        graph.Constant(name, tensor.detach().cpu().data<float>().ToArray(), tensor.shape);
}
