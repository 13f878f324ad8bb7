using NotebookMl.Core.Drift;

namespace NotebookMl.Core.Drift.Reference;

/// <summary>Builds <see cref="ColumnProfile"/>s from a column's values (see <see cref="ReferenceStatistics"/> for what is kept).</summary>
public static class ReferenceProfiler
{
    /// <summary>How many categories a categorical profile keeps by default; the rest are counted as other.</summary>
    public const int DefaultTopCategories = 50;

    /// <summary>The quantiles kept: 0%, 1%, …, 100%.</summary>
    public const int QuantileSteps = 100;

    /// <summary>The bins' edges are the deciles.</summary>
    public const int BinCount = 10;

    /// <summary>Profiles numeric values; NaN is a missing value.</summary>
    public static ColumnProfile Numeric(string name, ReadOnlySpan<double> values)
    {
        var present = new double[values.Length];
        var count = 0;
        double sum = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                present[count++] = value;
                sum += value;
            }
        }

        var nulls = values.Length - count;
        if (count == 0)
        {
            return new ColumnProfile(name, 0, nulls, null, null);
        }

        var sorted = present.AsSpan(0, count);
        sorted.Sort();
        var mean = sum / count;
        double squares = 0;
        foreach (var value in sorted)
        {
            squares += (value - mean) * (value - mean);
        }

        var quantiles = new double[QuantileSteps + 1];
        for (var q = 0; q <= QuantileSteps; q++)
        {
            quantiles[q] = Quantile(sorted, (double)q / QuantileSteps);
        }

        var edges = Enumerable.Range(0, BinCount + 1).Select(b => quantiles[b * QuantileSteps / BinCount]).Distinct().ToArray();
        return new ColumnProfile(name, count, nulls, new NumericProfile(sorted[0], sorted[^1], mean, count > 1 ? Math.Sqrt(squares / (count - 1)) : 0, quantiles, Bins(sorted, edges)), null);
    }

    /// <summary>Profiles text values; null (or empty) is a missing value.</summary>
    public static ColumnProfile Categorical(string name, IEnumerable<string?> values, int top = DefaultTopCategories)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long nulls = 0;
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                nulls++;
            }
            else
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
        }

        var ranked = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToArray();
        var kept = ranked.Take(top).Select(c => new CategoryCount(c.Key, c.Value)).ToArray();
        var present = counts.Values.Sum();
        return new ColumnProfile(name, present, nulls, null, new CategoricalProfile(counts.Count, kept, present - kept.Sum(c => c.Count)));
    }

    /// <summary>The <paramref name="p"/> quantile of sorted values, interpolating linearly between order statistics.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    private static QuantileBin[] Bins(ReadOnlySpan<double> sorted, double[] edges)
    {
        if (edges.Length == 1)
        {
            return [new QuantileBin(edges[0], edges[0], sorted.Length)];
        }

        var bins = new QuantileBin[edges.Length - 1];
        var start = 0;
        for (var b = 0; b < bins.Length; b++)
        {
            var last = b == bins.Length - 1;
            // The first index at or above the next edge (past the end for the last, closed bin).
            var end = last ? sorted.Length : LowerBound(sorted, edges[b + 1]);
            bins[b] = new QuantileBin(edges[b], edges[b + 1], end - start);
            start = end;
        }

        return bins;
    }

    private static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        var (low, high) = (0, sorted.Length);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            (low, high) = sorted[middle] < value ? (middle + 1, high) : (low, middle);
        }

        return low;
    }
}
