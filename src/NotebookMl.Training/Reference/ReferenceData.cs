using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Registry;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Preprocessing;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Registry.Reference;

namespace NotebookMl.Training.Reference;

/// <summary>
/// The reference a model is registered with: statistics of its training rows (each raw input, as the ONNX model takes
/// it) and of its predictions on them, and a sample of rows with the predictions recorded for them.
/// </summary>
public static class ReferenceData
{
    /// <summary>How many rows the recorded prediction sample keeps.</summary>
    public const int SampleRows = 200;

    /// <summary>
    /// Profiles <paramref name="rows"/> of <paramref name="frame"/> for each of <paramref name="inputs"/> (numeric for float32
    /// inputs, categorical for strings) and each of <paramref name="predictions"/> (one value per profiled row), columns in parallel.
    /// </summary>
    public static ReferenceStatistics Statistics(DataFrame frame, IReadOnlyList<int>? rows, IReadOnlyList<OnnxInput> inputs, IReadOnlyDictionary<string, float[]> predictions)
    {
        var count = rows?.Count ?? (int)frame.Rows.Count;
        var profiles = new ColumnProfile[inputs.Count + predictions.Count];
        var outputs = predictions.ToArray();
        Parallel.For(0, profiles.Length, i =>
        {
            if (i >= inputs.Count)
            {
                var (name, values) = outputs[i - inputs.Count];
                profiles[i] = ReferenceProfiler.Numeric(name, Array.ConvertAll(values, v => (double)v));
                return;
            }

            var input = inputs[i];
            var column = Column(frame, input.Name);
            profiles[i] = input.Type == "string"
                ? ReferenceProfiler.Categorical(input.Name, Select(rows, count, r => Text(column[r])))
                : ReferenceProfiler.Numeric(input.Name, Select(rows, count, Preprocessor.Numbers(column)));
        });
        return new ReferenceStatistics(count, profiles[..inputs.Count], profiles[inputs.Count..]);
    }

    /// <summary>
    /// Up to <see cref="SampleRows"/> of <paramref name="rows"/> (evenly spread) with each input's raw value and the
    /// <paramref name="predict"/>ed outputs for them.
    /// </summary>
    public static PredictionSample Sample(DataFrame frame, IReadOnlyList<int> rows, IReadOnlyList<OnnxInput> inputs, Func<DataFrame, IReadOnlyDictionary<string, float[]>> predict)
    {
        var step = Math.Max(1, rows.Count / SampleRows);
        var picked = Enumerable.Range(0, Math.Min(SampleRows, rows.Count)).Select(i => (long)rows[i * step]).ToArray();
        var sample = frame[picked];
        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var text = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var column = Column(sample, input.Name);
            if (input.Type == "string")
            {
                text[input.Name] = Enumerable.Range(0, picked.Length).Select(r => Text(column[r])).ToArray();
            }
            else
            {
                numeric[input.Name] = Preprocessor.Numbers(column);
            }
        }

        return new PredictionSample(numeric, text, predict(sample));
    }

    /// <summary>The sample's rows as a DataFrame with one column per input (float for numbers, text for strings), as a client would send them.</summary>
    public static DataFrame Frame(PredictionSample sample)
    {
        var columns = new List<DataFrameColumn>();
        columns.AddRange(sample.Numeric.Select(c => new SingleDataFrameColumn(c.Key, c.Value.Select(v => double.IsNaN(v) ? (float?)null : (float)v))));
        columns.AddRange(sample.Text.Select(c => new StringDataFrameColumn(c.Key, c.Value)));
        return new DataFrame(columns);
    }

    private static DataFrameColumn Column(DataFrame frame, string name) =>
        frame.Columns.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"the model's input '{name}' is not a column of the rows; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");

    private static string? Text(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    private static double[] Select(IReadOnlyList<int>? rows, int count, double[] values)
    {
        if (rows is null)
        {
            return values;
        }

        var picked = new double[count];
        for (var i = 0; i < count; i++)
        {
            picked[i] = values[rows[i]];
        }

        return picked;
    }

    private static IEnumerable<string?> Select(IReadOnlyList<int>? rows, int count, Func<long, string?> value)
    {
        for (var i = 0; i < count; i++)
        {
            yield return value(rows is null ? i : rows[i]);
        }
    }
}
