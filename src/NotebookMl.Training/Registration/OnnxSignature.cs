using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Core.Registry;

namespace NotebookMl.Training.Registration;

/// <summary>Reads a model's signature from its ONNX graph through ONNX Runtime: each input's and output's name, element type and shape.</summary>
public static class OnnxSignature
{
    /// <summary>The signature of <paramref name="onnx"/>; a file ONNX Runtime cannot load is an <see cref="InvalidDataException"/>.</summary>
    public static ModelSignature Of(byte[] onnx, string describe = "the model")
    {
        try
        {
            using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            using var session = new InferenceSession(onnx, options);
            return Of(session);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{describe} is not an ONNX model ONNX Runtime can load: {FirstLine(e.Message)}");
        }
    }

    /// <summary>The signature of a loaded session.</summary>
    public static ModelSignature Of(InferenceSession session) =>
        new(session.InputNames.Select(n => Tensor(n, session.InputMetadata[n])).ToArray(), session.OutputNames.Select(n => Tensor(n, session.OutputMetadata[n])).ToArray());

    /// <summary>The Open Inference Protocol's name for an ONNX element type.</summary>
    public static string DataType(TensorElementType type) => type switch
    {
        TensorElementType.Float => "FP32",
        TensorElementType.Double => "FP64",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.Bool => "BOOL",
        TensorElementType.String => "BYTES",
        TensorElementType.Float16 => "FP16",
        TensorElementType.Int8 => "INT8",
        TensorElementType.Int16 => "INT16",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        _ => type.ToString().ToUpperInvariant(),
    };

    private static TensorSignature Tensor(string name, NodeMetadata metadata) =>
        new(name, metadata.IsTensor ? DataType(metadata.ElementDataType) : metadata.OnnxValueType.ToString(), metadata.Dimensions.Select(d => d < 0 ? -1L : d).ToArray());

    internal static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
