using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Training.Evaluation;
using NotebookMl.Training.Onnx;
using static TorchSharp.torch;

namespace NotebookMl.Training.Torch.Images;

/// <summary>A trained <see cref="ConvNet"/>: predicts class probabilities, exports to ONNX behind the parity gate.</summary>
public sealed class TrainedConvNet(ConvNet network, Device device, ImageSet shape, ImageTrainingOptions options)
{
    public ConvNet Network { get; } = network;

    public ImageTrainingOptions Options { get; } = options;

    public IReadOnlyList<string> Classes { get; } = shape.Classes;

    public MulticlassMetrics? Metrics { get; internal set; }

    public IReadOnlyList<(int Epoch, double Accuracy)> Curve { get; internal set; } = [];

    public bool Interrupted { get; internal set; }

    public string? RunId { get; internal set; }

    public string DatasetDigest { get; internal set; } = string.Empty;

    /// <summary>Class probabilities of <paramref name="images"/> (count × classes), in eval mode.</summary>
    public float[] Predict(ImageSet images)
    {
        Network.eval();
        var classes = Classes.Count;
        var output = new float[images.Count * classes];
        var size = images.Height * images.Width;
        using var noGrad = TorchSharp.torch.no_grad();
        for (var start = 0; start < images.Count; start += 1024)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(1024, images.Count - start);
            var pixels = TorchSharp.torch.tensor(images.Pixels.AsSpan(start * size, count * size).ToArray(), [count, 1, images.Height, images.Width], device: device).to_type(ScalarType.Float32);
            TorchSharp.torch.nn.functional.softmax(Network.forward(pixels), 1).cpu().data<float>().ToArray().CopyTo(output, start * classes);
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
            ["producer"] = $"NotebookMl {TabularOnnxExporter.ProducerVersion}",
        };
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
