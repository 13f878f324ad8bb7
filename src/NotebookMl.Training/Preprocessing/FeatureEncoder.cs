using System.Text.Json.Serialization;

namespace NotebookMl.Training.Preprocessing;

/// <summary>One raw feature's step of the preprocessing: its slots of the vector.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NumericEncoder), "numeric")]
[JsonDerivedType(typeof(CategoricalEncoder), "categorical")]
public abstract record FeatureEncoder(string Name)
{
    /// <summary>How many slots of the vector it fills.</summary>
    [JsonIgnore]
    public abstract int Width { get; }

    /// <summary>The slots' names.</summary>
    [JsonIgnore]
    public abstract IEnumerable<string> SlotNames { get; }
}

/// <summary>A number: missing (NaN) becomes <see cref="Fill"/>, then <c>(x − Offset) × Scale</c>.</summary>
public sealed record NumericEncoder(string Name, float Fill, float Offset, float Scale) : FeatureEncoder(Name)
{
    public override int Width => 1;

    public override IEnumerable<string> SlotNames => [Name];

    internal static NumericEncoder Fit(string name, double[] values, bool standardize)
    {
        var present = values.Where(v => !double.IsNaN(v)).ToArray();
        var mean = present.Length == 0 ? 0 : present.Average();
        if (!standardize)
        {
            return new NumericEncoder(name, (float)mean, 0, 1);
        }

        var deviation = present.Length < 2 ? 0 : Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Length - 1));
        return new NumericEncoder(name, (float)mean, (float)mean, deviation > 0 ? (float)(1 / deviation) : 1);
    }

    /// <summary>The value as the ONNX graph computes it, in float.</summary>
    internal float Encode(double value)
    {
        var x = double.IsNaN(value) ? Fill : (float)value;
        return (x - Offset) * Scale;
    }

    internal void Encode(double[] values, float[] output, int offset, int width)
    {
        for (var row = 0; row < values.Length; row++)
        {
            output[((long)row * width) + offset] = Encode(values[row]);
        }
    }
}

/// <summary>
/// Text: the <see cref="Categories"/> seen in training (the most frequent, at most a set number), one-hot
/// or as a rank ordered by the label's mean (so a tree separates high from low with one split).
/// </summary>
public sealed record CategoricalEncoder(string Name, IReadOnlyList<string> Categories, CategoricalEncoding Encoding) : FeatureEncoder(Name)
{
    public override int Width => Encoding == CategoricalEncoding.OneHot ? Categories.Count : 1;

    public override IEnumerable<string> SlotNames => Encoding == CategoricalEncoding.OneHot ? Categories.Select(c => $"{Name}={c}") : [Name];

    internal static CategoricalEncoder Fit(string name, string[] values, double[] label, CategoricalEncoding encoding, int maxCategories)
    {
        var stats = new Dictionary<string, (int Count, double Sum)>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            var (count, sum) = stats.GetValueOrDefault(values[i]);
            stats[values[i]] = (count + 1, sum + label[i]);
        }

        var kept = stats.OrderByDescending(s => s.Value.Count).ThenBy(s => s.Key, StringComparer.Ordinal).Take(maxCategories);
        var categories = encoding == CategoricalEncoding.Ordinal
            ? kept.OrderBy(s => s.Value.Sum / s.Value.Count).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key)
            : kept.Select(s => s.Key).Order(StringComparer.Ordinal);
        return new CategoricalEncoder(name, categories.ToArray(), encoding);
    }

    internal void Encode(string[] values, float[] output, int offset, int width)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Categories.Count; i++)
        {
            index[Categories[i]] = i;
        }

        for (var row = 0; row < values.Length; row++)
        {
            var found = index.TryGetValue(values[row], out var position);
            var start = ((long)row * width) + offset;
            if (Encoding == CategoricalEncoding.Ordinal)
            {
                output[start] = found ? position : -1;
            }
            else if (found)
            {
                output[start + position] = 1;
            }
        }
    }
}
