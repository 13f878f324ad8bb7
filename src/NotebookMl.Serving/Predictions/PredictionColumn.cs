namespace NotebookMl.Serving.Predictions;

/// <summary>The kinds of column the prediction log writes.</summary>
internal enum PredictionColumnKind
{
    Time,
    Double,
    Integer,
    Boolean,
    Text,
}

/// <summary>One growable, typed, nullable column of a <see cref="PredictionBuffer"/>.</summary>
internal sealed class PredictionColumn(string name, PredictionColumnKind kind)
{
    public string Name { get; } = name;

    public PredictionColumnKind Kind { get; } = kind;

    public DateTime[]? Times { get; private set; }

    public double?[]? Doubles { get; private set; }

    public long?[]? Longs { get; private set; }

    public bool?[]? Booleans { get; private set; }

    public string?[]? Texts { get; private set; }

    public static PredictionColumnKind KindOf(string dataType) => dataType switch
    {
        "FP32" or "FP64" or "FP16" or "BF16" => PredictionColumnKind.Double,
        "BOOL" => PredictionColumnKind.Boolean,
        "BYTES" => PredictionColumnKind.Text,
        _ => PredictionColumnKind.Integer,
    };

    /// <summary>Grows the column to hold at least <paramref name="rows"/> rows (doubling).</summary>
    public void Reserve(int rows)
    {
        var capacity = Kind switch
        {
            PredictionColumnKind.Time => Times?.Length,
            PredictionColumnKind.Double => Doubles?.Length,
            PredictionColumnKind.Integer => Longs?.Length,
            PredictionColumnKind.Boolean => Booleans?.Length,
            _ => Texts?.Length,
        } ?? 0;
        if (capacity >= rows)
        {
            return;
        }

        var size = Math.Max(rows, Math.Max(1024, capacity * 2));
        switch (Kind)
        {
            case PredictionColumnKind.Time: Times = Grow(Times, size); break;
            case PredictionColumnKind.Double: Doubles = Grow(Doubles, size); break;
            case PredictionColumnKind.Integer: Longs = Grow(Longs, size); break;
            case PredictionColumnKind.Boolean: Booleans = Grow(Booleans, size); break;
            default: Texts = Grow(Texts, size); break;
        }
    }

    /// <summary>Sets the first <paramref name="rows"/> rows back to null (default), keeping the arrays.</summary>
    public void Clear(int rows)
    {
        switch (Kind)
        {
            case PredictionColumnKind.Time: Array.Clear(Times!, 0, Math.Min(rows, Times!.Length)); break;
            case PredictionColumnKind.Double: Array.Clear(Doubles!, 0, Math.Min(rows, Doubles!.Length)); break;
            case PredictionColumnKind.Integer: Array.Clear(Longs!, 0, Math.Min(rows, Longs!.Length)); break;
            case PredictionColumnKind.Boolean: Array.Clear(Booleans!, 0, Math.Min(rows, Booleans!.Length)); break;
            default: Array.Clear(Texts!, 0, Math.Min(rows, Texts!.Length)); break;
        }
    }

    /// <summary>Copies element k of each of <paramref name="rows"/> rows of <paramref name="width"/> into this column from row <paramref name="at"/>.</summary>
    public void Fill(Array data, int at, int rows, int width, int k)
    {
        switch (data)
        {
            case float[] f when Doubles is not null:
                for (var r = 0; r < rows; r++)
                {
                    var v = f[(r * width) + k];
                    Doubles[at + r] = float.IsNaN(v) ? null : v;
                }

                break;
            case double[] d when Doubles is not null:
                for (var r = 0; r < rows; r++)
                {
                    var v = d[(r * width) + k];
                    Doubles[at + r] = double.IsNaN(v) ? null : v;
                }

                break;
            case long[] l when Longs is not null:
                for (var r = 0; r < rows; r++)
                {
                    Longs[at + r] = l[(r * width) + k];
                }

                break;
            case int[] n when Longs is not null:
                for (var r = 0; r < rows; r++)
                {
                    Longs[at + r] = n[(r * width) + k];
                }

                break;
            case bool[] b when Booleans is not null:
                for (var r = 0; r < rows; r++)
                {
                    Booleans[at + r] = b[(r * width) + k];
                }

                break;
            default:
                // Text columns, and a tensor whose datatype differs from the column's first (kept as text where the column is).
                for (var r = 0; Texts is not null && r < rows; r++)
                {
                    Texts[at + r] = Convert.ToString(data.GetValue((r * width) + k), System.Globalization.CultureInfo.InvariantCulture);
                }

                break;
        }
    }

    private static T[] Grow<T>(T[]? array, int size)
    {
        var grown = new T[size];
        array?.CopyTo(grown, 0);
        return grown;
    }
}
