using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Reference;

/// <summary>
/// A sample of input rows and the predictions recorded for them when the model was trained (or
/// registered): the ONNX gate checks that the registered artifact still reproduces them.
/// </summary>
/// <param name="Numeric">Numeric inputs by name, one value per row (NaN when missing).</param>
/// <param name="Text">Text inputs by name, one value per row (null when missing).</param>
/// <param name="Expected">The recorded outputs by name (<c>probability</c>, <c>prediction</c>, …), one value per row.</param>
public sealed record PredictionSample(
    IReadOnlyDictionary<string, double[]> Numeric,
    IReadOnlyDictionary<string, string?[]> Text,
    IReadOnlyDictionary<string, float[]> Expected)
{
    /// <summary>The number of rows.</summary>
    public int Rows => Expected.Values.FirstOrDefault()?.Length ?? 0;
}
