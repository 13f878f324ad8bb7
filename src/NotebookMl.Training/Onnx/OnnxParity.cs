using Microsoft.Data.Analysis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Training.Preprocessing;

namespace NotebookMl.Training.Onnx;

/// <summary>Runs an exported tabular model in ONNX Runtime on raw feature values.</summary>
public static class OnnxParity
{
    /// <summary>Most an ONNX output may differ from the in-memory model: absolute, or relative for values above 1.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>The named output (<c>probability</c>, <c>score</c>, <c>prediction</c>) for each row of <paramref name="frame"/>.</summary>
    public static float[] Run(byte[] model, Preprocessor preprocessor, DataFrame frame, string output)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model, options);
        var rows = (int)frame.Rows.Count;
        var inputs = new List<NamedOnnxValue>();
        foreach (var encoder in preprocessor.Encoders)
        {
            var column = frame.Columns[encoder.Name];
            inputs.Add(encoder is CategoricalEncoder
                ? NamedOnnxValue.CreateFromTensor(encoder.Name, new DenseTensor<string>(Preprocessor.Text(column), [rows, 1]))
                : NamedOnnxValue.CreateFromTensor(encoder.Name, new DenseTensor<float>(Preprocessor.Numbers(column).Select(v => (float)v).ToArray(), [rows, 1])));
        }

        using var results = session.Run(inputs, [output]);
        return results.First().AsTensor<float>().ToArray();
    }

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
}

/// <summary>An exported model whose ONNX Runtime outputs differ from the in-memory model's.</summary>
public sealed class OnnxParityException(string message) : Exception(message);
