using System.Globalization;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Core.Drift;

/// <summary>
/// The bins PSI and Jensen–Shannon use for a numeric column, fixed by the reference alone: the edges are the reference's
/// quantiles at 0, 1/B, …, 1 (B = 10 by default; linear interpolation between order statistics, NumPy's default), with
/// repeated edges dropped. With distinct edges e0 &lt; e1 &lt; … &lt; eL, bin b holds [e_b, e_{b+1}); the first bin also holds
/// everything below e1 and the last everything at or above e_{L−1}, so current values outside the reference's range land
/// in the outer bins. A constant reference (one edge v) gets three bins: below v, v, above v.
/// </summary>
public sealed class DriftBins
{
    private readonly double[] _edges;

    private DriftBins(double[] edges) => _edges = edges;

    /// <summary>How many bins.</summary>
    public int Count => _edges.Length == 1 ? 3 : _edges.Length - 1;

    /// <summary>The bins of <paramref name="reference"/> with <paramref name="bins"/> quantile steps.</summary>
    public static DriftBins For(ColumnDistribution reference, int bins)
    {
        double[] edges;
        if (reference.Sorted is { } sorted)
        {
            edges = sorted.Length == 0 ? [0.0] : Enumerable.Range(0, bins + 1).Select(b => ReferenceProfiler.Quantile(sorted, (double)b / bins)).ToArray();
        }
        else
        {
            var quantiles = reference.Profile!.Quantiles;
            var step = ReferenceProfiler.QuantileSteps / bins;
            edges = Enumerable.Range(0, bins + 1).Select(b => quantiles[b * step]).ToArray();
        }

        return new DriftBins(edges.Distinct().ToArray());
    }

    /// <summary>The number of <paramref name="column"/>'s values in each bin.</summary>
    public double[] Counts(ColumnDistribution column)
    {
        var counts = new double[Count];
        if (column.Sorted is { } values)
        {
            foreach (var value in values)
            {
                counts[Bin(value)]++;
            }

            return counts;
        }

        // A saved reference: its decile bins were counted at registration; other steps are read off its quantiles.
        var profile = column.Profile!;
        if (_edges.Length == 1)
        {
            counts[1] = column.Count;
            return counts;
        }

        if (profile.Bins.Count == Count && profile.Bins.Select(b => b.Lower).Append(profile.Bins[^1].Upper).SequenceEqual(_edges))
        {
            return profile.Bins.Select(b => (double)b.Count).ToArray();
        }

        var quantiles = profile.Quantiles;
        for (var b = 0; b < Count; b++)
        {
            var first = IndexOf(quantiles, _edges[b]);
            var last = IndexOf(quantiles, _edges[b + 1]);
            counts[b] = (last - first) * column.Count / (double)ReferenceProfiler.QuantileSteps;
        }

        return counts;
    }

    /// <summary>A label per bin: <c>&lt; e1</c>, <c>[e1, e2)</c>, …, <c>≥ e(L−1)</c>.</summary>
    public IReadOnlyList<string> Labels()
    {
        static string F(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
        if (_edges.Length == 1)
        {
            return [$"< {F(_edges[0])}", F(_edges[0]), $"> {F(_edges[0])}"];
        }

        if (_edges.Length == 2)
        {
            return ["all"];
        }

        return Enumerable.Range(0, Count).Select(b => b == 0 ? $"< {F(_edges[1])}" : b == Count - 1 ? $"≥ {F(_edges[b])}" : $"[{F(_edges[b])}, {F(_edges[b + 1])})").ToArray();
    }

    private int Bin(double value)
    {
        if (_edges.Length == 1)
        {
            return value < _edges[0] ? 0 : value == _edges[0] ? 1 : 2;
        }

        // The number of interior edges e1 … e(L−1) at or below the value.
        var (low, high) = (1, _edges.Length - 1);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            (low, high) = _edges[middle] <= value ? (middle + 1, high) : (low, middle);
        }

        return low - 1;
    }

    private static int IndexOf(IReadOnlyList<double> quantiles, double edge)
    {
        for (var i = 0; i < quantiles.Count; i++)
        {
            if (quantiles[i] == edge)
            {
                return i;
            }
        }

        return 0;
    }
}
