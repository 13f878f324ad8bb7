using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Analysis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace NotebookMl.Training.Onnx;

/// <summary>
/// Runs an exported tabular model in ONNX Runtime the way a client calls it: the model's own
/// <c>input_schema</c> metadata names each [N, 1] input and its type, and each is filled from the raw
/// column of that name (float32 with NaN when missing; strings with "" when missing). Nothing of the
/// training-side preprocessing is shared, so an encoding mismatch shows as a parity failure.
/// </summary>
public static class OnnxParity
{
    /// <summary>Most an ONNX output may differ from the in-memory model: absolute, or relative for values above 1.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The metadata key holding the inputs as a JSON list of {name, type, shape}.</summary>
    public const string InputSchemaKey = "input_schema";

    /// <summary>The named outputs (<c>probability</c>, <c>score</c>, <c>label</c>, <c>prediction</c>) for each row of <paramref name="frame"/>; integer outputs as floats.</summary>
    public static IReadOnlyDictionary<string, float[]> Run(byte[] model, DataFrame frame, params string[] outputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model, options);
        var inputs = InputSchema(session.ModelMetadata.CustomMetadataMap)
            .Select(input => ClientInput(input, frame))
            .ToList();
        using var results = session.Run(inputs, outputs);
        return results.ToDictionary(
            r => r.Name,
            r => r.ElementType == TensorElementType.Int64 ? r.AsTensor<long>().Select(v => (float)v).ToArray() : r.AsTensor<float>().ToArray());
    }

    /// <summary>The inputs an exported model declares in its <c>input_schema</c> metadata.</summary>
    public static IReadOnlyList<OnnxInput> InputSchema(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(InputSchemaKey, out var json)
            ? JsonSerializer.Deserialize<List<OnnxInput>>(json, JsonOptions) ?? []
            : throw new InvalidDataException($"the ONNX model has no '{InputSchemaKey}' metadata; it was not exported by NotebookMl.");

    /// <summary>The largest difference between <paramref name="onnx"/> and <paramref name="expected"/>, and its row, under the tolerance's measure.</summary>
    public static (double Difference, int Row) Largest(IReadOnlyList<float> onnx, IReadOnlyList<float> expected)
    {
        var (largest, row) = (0.0, -1);
        for (var i = 0; i < expected.Count; i++)
        {
            var difference = Math.Abs(onnx[i] - (double)expected[i]) / Math.Max(1, Math.Abs(expected[i]));
            if (double.IsNaN(difference) || difference > largest)
            {
                (largest, row) = (double.IsNaN(difference) ? double.PositiveInfinity : difference, i);
            }
        }

        return (largest, row);
    }

    /// <summary>
    /// The first row whose <c>label</c> is not the probability thresholded at 0.5, or -1; rows whose
    /// probability is within <see cref="Tolerance"/> of 0.5 may go either way.
    /// </summary>
    public static int FirstLabelMismatch(IReadOnlyList<float> label, IReadOnlyList<float> probability)
    {
        for (var i = 0; i < probability.Count; i++)
        {
            if (Math.Abs(probability[i] - 0.5) > Tolerance && label[i] != (probability[i] > 0.5f ? 1 : 0))
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static NamedOnnxValue ClientInput(OnnxInput input, DataFrame frame)
    {
        var column = frame.Columns.FirstOrDefault(c => c.Name == input.Name)
            ?? throw new ArgumentException($"validation: the model's input '{input.Name}' has no column in the validation rows.", nameof(frame));
        var rows = (int)column.Length;
        return input.Type switch
        {
            "string" => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<string>(
                Enumerable.Range(0, rows).Select(r => column[r] is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "" : "").ToArray(), [rows, 1])),
            "float32" => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(
                Enumerable.Range(0, rows).Select(r => column[r] is { } v ? Convert.ToSingle(v, CultureInfo.InvariantCulture) : float.NaN).ToArray(), [rows, 1])),
            _ => throw new InvalidDataException($"the ONNX model's input '{input.Name}' has type '{input.Type}'; expected string or float32."),
        };
    }
}

/// <summary>An input of an exported model as its <c>input_schema</c> metadata lists it.</summary>
/// <param name="Name">The raw feature's column name.</param>
/// <param name="Type"><c>float32</c> or <c>string</c>.</param>
/// <param name="Shape">Always [-1, 1]: any number of rows, one value each.</param>
public sealed record OnnxInput(string Name, string Type, IReadOnlyList<int> Shape);

/// <summary>An exported model whose ONNX Runtime outputs differ from the in-memory model's.</summary>
public sealed class OnnxParityException(string message) : Exception(message);
