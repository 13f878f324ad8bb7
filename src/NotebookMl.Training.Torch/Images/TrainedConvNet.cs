using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Core.Evaluation;
using NotebookMl.Training.Onnx;
using static TorchSharp.torch;

namespace NotebookMl.Training.Torch.Images;

/// <summary>
/// A trained <see cref="ConvNet"/>: predicts class probabilities, exports to ONNX behind the parity
/// gate. An immutable value, built once after evaluation (<see cref="ImageTrainer"/>).
/// </summary>
public sealed class TrainedConvNet(
    ConvNet network, Device device, ImageSet shape, ImageTrainingOptions options,
    MulticlassMetrics metrics, IReadOnlyList<(int Epoch, double Accuracy)> curve, bool interrupted, string? runId, string datasetDigest)
{
    public ConvNet Network { get; } = network;

    public ImageTrainingOptions Options { get; } = options;

    public IReadOnlyList<string> Classes { get; } = shape.Classes;

    public MulticlassMetrics Metrics { get; } = metrics;

    public IReadOnlyList<(int Epoch, double Accuracy)> Curve { get; } = curve;

    public bool Interrupted { get; } = interrupted;

    public string? RunId { get; } = runId;

    public string DatasetDigest { get; } = datasetDigest;

    /// <summary>Class probabilities of <paramref name="images"/> (count × classes), in eval mode.</summary>
    public float[] Predict(ImageSet images) => Probabilities(Network, device, images, Classes.Count);

    /// <summary>Class probabilities of <paramref name="images"/> from <paramref name="network"/> (count × classes), in eval mode.</summary>
    internal static float[] Probabilities(ConvNet network, Device device, ImageSet images, int classes)
    {
        network.eval();
        var output = new float[images.Count * classes];
        var size = images.Height * images.Width;
        using var noGrad = TorchSharp.torch.no_grad();
        for (var start = 0; start < images.Count; start += 1024)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(1024, images.Count - start);
            var pixels = TorchSharp.torch.tensor(images.Pixels.AsSpan(start * size, count * size).ToArray(), [count, 1, images.Height, images.Width], device: device).to_type(ScalarType.Float32);
            TorchSharp.torch.nn.functional.softmax(network.forward(pixels), 1).cpu().data<float>().ToArray().CopyTo(output, start * classes);
        }

        return output;
    }

    /// <summary>The ONNX model, refused (<see cref="OnnxParityException"/>) when ONNX Runtime's probabilities on <paramref name="validation"/> differ by more than 1e-4.</summary>
    public byte[] ExportOnnx(ImageSet validation)
    {
        var metadata = new Dictionary<string, string>
        {
            ["model_name"] = Options.ModelName,
            ["run_id"] = RunId ?? string.Empty,
            ["task"] = "multiclass",
            ["learner"] = "cnn",
            ["input_schema"] = JsonSerializer.Serialize(new[] { new { name = "image", type = "float32", shape = new[] { -1, 1, validation.Height, validation.Width }, range = "raw pixels 0-255" } }),
            ["classes"] = JsonSerializer.Serialize(Classes),
            ["training_data_sha256"] = DatasetDigest,
            ["producer"] = $"NotebookMl {OnnxGraphBuilder.ProducerVersion}",
        };
        if (validation.Count == 0)
        {
            throw new OnnxParityException("ONNX export refused: the validation sample is empty, so parity with the in-memory model cannot be checked; pass images to check it on.");
        }

        var bytes = ConvNetOnnx.Build(Network, validation.Height, validation.Width, Classes.Count, metadata).ToByteArray();
        var expected = Predict(validation);
        using var session = new InferenceSession(bytes);
        var pixels = new DenseTensor<float>(validation.Pixels.Select(p => (float)p).ToArray(), [validation.Count, 1, validation.Height, validation.Width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", pixels)], ["probabilities"]);
        var onnx = results.First().AsTensor<float>().ToArray();
        var (difference, index) = OnnxParity.Largest(onnx, expected);
        return difference <= OnnxParity.Tolerance
            ? bytes
            : throw new OnnxParityException($"ONNX export refused: ONNX Runtime's 'probabilities' differ from the in-memory model by {difference:G3} (> {OnnxParity.Tolerance:G1}) at image {index / Classes.Count}, class {index % Classes.Count}.");
    }
}
