using System.Globalization;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Core.Registry;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// A registered version as a Triton / KServe model repository: <c>DIR/NAME/config.pbtxt</c>
/// (<c>platform: "onnxruntime_onnx"</c>, every input and output with its data type and dims, read from
/// the ONNX graph) and <c>DIR/NAME/VERSION/model.onnx</c>, byte for byte the registered artifact.
/// </summary>
public static class TritonRepository
{
    /// <summary>Writes <paramref name="version"/> (whose ONNX is <paramref name="onnx"/>) under <paramref name="folder"/>; returns the model's folder.</summary>
    public static string Write(ModelVersion version, byte[] onnx, string folder)
    {
        using var session = new InferenceSession(onnx);
        var model = Path.Combine(Path.GetFullPath(folder), version.Name);
        var versionFolder = Path.Combine(model, version.Version.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(versionFolder);
        File.WriteAllBytes(Path.Combine(versionFolder, "model.onnx"), onnx);
        File.WriteAllText(Path.Combine(model, "config.pbtxt"), Config(version, session));
        return model;
    }

    /// <summary>The config.pbtxt text: Triton's ModelConfig in protobuf text format.</summary>
    public static string Config(ModelVersion version, InferenceSession session)
    {
        var config = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"name: \"{version.Name}\"\n")
            .Append("platform: \"onnxruntime_onnx\"\n")
            .Append("max_batch_size: 0\n");
        Tensors(config, "input", session.InputMetadata);
        Tensors(config, "output", session.OutputMetadata);
        config.Append(CultureInfo.InvariantCulture, $"version_policy: {{ specific: {{ versions: [ {version.Version} ] }} }}\n");
        return config.ToString();
    }

    private static void Tensors(StringBuilder config, string kind, IReadOnlyDictionary<string, NodeMetadata> tensors)
    {
        config.Append(kind).Append(" [\n");
        var i = 0;
        foreach (var (name, metadata) in tensors)
        {
            config.Append(CultureInfo.InvariantCulture,
                $"  {{\n    name: \"{name}\"\n    data_type: {DataType(name, metadata.ElementDataType)}\n    dims: [ {string.Join(", ", metadata.Dimensions)} ]\n  }}{(++i < tensors.Count ? "," : "")}\n");
        }

        config.Append("]\n");
    }

    private static string DataType(string name, TensorElementType type) => type switch
    {
        TensorElementType.Float => "TYPE_FP32",
        TensorElementType.Double => "TYPE_FP64",
        TensorElementType.Int64 => "TYPE_INT64",
        TensorElementType.Int32 => "TYPE_INT32",
        TensorElementType.Bool => "TYPE_BOOL",
        TensorElementType.String => "TYPE_STRING",
        TensorElementType.UInt8 => "TYPE_UINT8",
        _ => throw new InvalidDataException($"tensor '{name}' has element type {type}, which this export does not map to a Triton data type."),
    };
}
