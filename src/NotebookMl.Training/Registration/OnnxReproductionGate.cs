using Microsoft.ML.OnnxRuntime;
using NotebookMl.Core.Registry;
using NotebookMl.Training.Onnx;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Registry.Reference;
using NotebookMl.Training.Reference;

namespace NotebookMl.Training.Registration;

/// <summary>
/// The ONNX gate: the version's artifact (checked against its content hash) loads in ONNX Runtime and reproduces,
/// within <see cref="OnnxParity.Tolerance"/>, the predictions recorded for its sample of rows at registration.
/// </summary>
public sealed class OnnxReproductionGate : IPromotionGate
{
    /// <summary>The gate as it is listed.</summary>
    public const string Name = "onnx reproduces recorded predictions (1e-4)";

    /// <inheritdoc/>
    public IEnumerable<GateResult> Check(PromotionCandidate candidate)
    {
        yield return Evaluate(candidate.Registry, candidate.Version);
    }

    private static GateResult Evaluate(ModelRegistry registry, ModelVersion version)
    {
        PredictionSample? sample;
        byte[] onnx;
        try
        {
            onnx = registry.ReadOnnx(version);
            sample = registry.ReadSample(version);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            return new GateResult(Name, e.Message, false);
        }

        if (sample is null || sample.Rows == 0)
        {
            return new GateResult(Name, $"{version.Uri} has no prediction sample recorded at registration (register it from a run, or with --reference FILE)", false);
        }

        try
        {
            using var model = LoadedModel.FromOnnx(onnx, version.Uri, version);
            var outputs = model.Predict(ReferenceData.Frame(sample), [.. sample.Expected.Keys]);
            var worst = (Difference: 0.0, Row: -1, Output: "");
            foreach (var (output, expected) in sample.Expected)
            {
                var column = outputs.Columns[output];
                var actual = Enumerable.Range(0, expected.Length).Select(r => Convert.ToSingle(column[r], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                var (difference, row) = OnnxParity.Largest(actual, expected);
                if (row >= 0 && difference >= worst.Difference)
                {
                    worst = (difference, row, output);
                }
            }

            var passed = worst.Difference <= OnnxParity.Tolerance;
            var where = worst.Row >= 0 ? $" ('{worst.Output}', row {worst.Row})" : "";
            return new GateResult(Name, $"largest difference {worst.Difference:G3}{where} over {sample.Rows} recorded rows", passed);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or OnnxRuntimeException)
        {
            return new GateResult(Name, e.Message, false);
        }
    }
}
