using System.Text.Json.Serialization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Options;

namespace NotebookMl.Training.Preprocessing;

/// <summary>How categorical (text) features become numbers.</summary>
public enum CategoricalEncoding
{
    /// <summary>One slot per known category (unknown: all zeros). For linear and neural models.</summary>
    OneHot,

    /// <summary>One slot: the category's rank by mean label on the training rows (unknown: -1). For trees.</summary>
    Ordinal,
}

/// <summary>
/// The preprocessing that is part of every model: raw feature values in, one float vector out. Fitted on
/// the training rows only; the same steps run in memory and in the exported ONNX graph.
/// </summary>
public sealed class Preprocessor
{
    /// <summary>The encoders in input order.</summary>
    [JsonInclude]
    public IReadOnlyList<FeatureEncoder> Encoders { get; private init; } = [];

    /// <summary>The width of the vector.</summary>
    [JsonIgnore]
    public int Width => Encoders.Sum(e => e.Width);

    /// <summary>A name per slot of the vector (<c>origin=SEA</c> for a one-hot slot).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> SlotNames => Encoders.SelectMany(e => e.SlotNames).ToArray();

    /// <summary>
    /// Fits encoders to <paramref name="features"/> of <paramref name="frame"/>'s training <paramref name="rows"/>:
    /// text columns are categorical, numbers and booleans numeric (missing values filled with the mean,
    /// scaled to mean 0 and variance 1 when <paramref name="standardize"/>).
    /// </summary>
    public static Preprocessor Fit(DataFrame frame, IReadOnlyList<string> features, double[] label, int[] rows, bool standardize, CategoricalEncoding encoding, int maxCategories = 100)
    {
        var encoders = new List<FeatureEncoder>();
        var labels = rows.Select(r => label[r]).ToArray();
        foreach (var name in features)
        {
            var column = frame.Columns.IndexOf(name) >= 0 ? frame.Columns[name] : throw new InvalidOptionException(nameof(features), $"no column '{name}'; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
            if (column is StringDataFrameColumn or ArrowStringDataFrameColumn)
            {
                var text = Text(column);
                encoders.Add(CategoricalEncoder.Fit(name, rows.Select(r => text[r]).ToArray(), labels, encoding, maxCategories));
            }
            else
            {
                var numbers = Numbers(column);
                encoders.Add(NumericEncoder.Fit(name, rows.Select(r => numbers[r]).ToArray(), standardize));
            }
        }

        return new Preprocessor { Encoders = encoders };
    }

    /// <summary>The vectors of <paramref name="frame"/>'s rows, row after row (rows × <see cref="Width"/>).</summary>
    public float[] Transform(DataFrame frame)
    {
        var rows = (int)frame.Rows.Count;
        var width = Width;
        var output = new float[(long)rows * width];
        var offset = 0;
        foreach (var encoder in Encoders)
        {
            var column = frame.Columns.IndexOf(encoder.Name) >= 0
                ? frame.Columns[encoder.Name]
                : throw new ArgumentException($"column '{encoder.Name}' is missing; the model takes: {string.Join(", ", Encoders.Select(e => e.Name))}.");
            switch (encoder)
            {
                case NumericEncoder numeric:
                    numeric.Encode(Numbers(column), output, offset, width);
                    break;
                case CategoricalEncoder categorical:
                    categorical.Encode(Text(column), output, offset, width);
                    break;
            }

            offset += encoder.Width;
        }

        return output;
    }

    /// <summary>A column's values as doubles (NaN for missing); text columns are refused.</summary>
    internal static double[] Numbers(DataFrameColumn column)
    {
        var values = new double[column.Length];
        switch (column)
        {
            case DoubleDataFrameColumn doubles:
                var row = 0;
                foreach (var value in doubles)
                {
                    values[row++] = value ?? double.NaN;
                }

                break;
            case StringDataFrameColumn or ArrowStringDataFrameColumn:
                throw new ArgumentException($"column '{column.Name}' is text; it is used as a categorical feature, not a number.");
            case PrimitiveDataFrameColumn<DateTime>:
                throw new ArgumentException($"column '{column.Name}' is a time; derive numbers from it (hour, weekday, month) before training.");
            default:
                for (var i = 0; i < column.Length; i++)
                {
                    values[i] = column[i] switch
                    {
                        null => double.NaN,
                        bool b => b ? 1 : 0,
                        var other => Convert.ToDouble(other, System.Globalization.CultureInfo.InvariantCulture),
                    };
                }

                break;
        }

        return values;
    }

    /// <summary>A text column's values; missing values are the empty text.</summary>
    internal static string[] Text(DataFrameColumn column)
    {
        var values = new string[column.Length];
        for (var i = 0; i < column.Length; i++)
        {
            values[i] = column[i] as string ?? string.Empty;
        }

        return values;
    }
}
