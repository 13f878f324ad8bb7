using NotebookMl.Core.Drift.Statistics;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Core.Drift;

/// <summary>
/// Kolmogorov–Smirnov and Wasserstein against a reference kept only as its saved profile: the reference's distribution
/// function is taken as the straight lines through its 101 quantiles (0%, 1%, …, 100%). The KS p-value is then the
/// asymptotic one with the reference's true row count. Both are approximations of what the raw rows would give.
/// </summary>
internal static class QuantileCurve
{
    public static TestResult KolmogorovSmirnov(NumericProfile reference, long referenceRows, double[] current)
    {
        var quantiles = reference.Quantiles.ToArray();
        var n = current.Length;
        var d = 0.0;
        // The largest gap is at a jump of either side: compare the two distribution functions at x and just below it
        // (where both jump at x, crossing them would compare values at different points).
        void Check(double x, double currentBelow, double currentAt)
        {
            var (left, right) = (Cdf(quantiles, x, inclusive: false), Cdf(quantiles, x, inclusive: true));
            d = Math.Max(d, Math.Max(Math.Abs(currentAt - right), Math.Abs(currentBelow - left)));
        }

        for (var i = 0; i < n;)
        {
            var x = current[i];
            var below = (double)i / n;
            while (i < n && current[i] == x)
            {
                i++;
            }

            Check(x, below, (double)i / n);
        }

        foreach (var knot in quantiles)
        {
            var (below, at) = (LowerBound(current, knot), UpperBound(current, knot));
            Check(knot, (double)below / n, (double)at / n);
        }

        var (m, k) = ((double)Math.Max(referenceRows, n), (double)Math.Min(referenceRows, n));
        var en = (int)Math.Round(m * k / (m + k), MidpointRounding.ToEven);
        return new TestResult(d, KolmogorovDistribution.Survival(Math.Max(en, 1), d));
    }

    public static double Wasserstein(NumericProfile reference, double[] current)
    {
        var quantiles = reference.Quantiles.ToArray();
        var points = current.Concat(quantiles).Order().Distinct().ToArray();
        var n = current.Length;
        var distance = 0.0;
        for (var p = 0; p + 1 < points.Length; p++)
        {
            var (a, b) = (points[p], points[p + 1]);
            var currentCdf = (double)UpperBound(current, a) / n;
            var start = currentCdf - Cdf(quantiles, a, inclusive: true);
            var end = currentCdf - Cdf(quantiles, b, inclusive: false);
            var width = b - a;
            distance += Math.Sign(start) * Math.Sign(end) >= 0
                ? Math.Abs(start + end) / 2 * width
                : ((start * start) + (end * end)) / (2 * Math.Abs(start - end)) * width;
        }

        return distance;
    }

    /// <summary>The reference's distribution function at <paramref name="x"/> (its left limit when not <paramref name="inclusive"/>).</summary>
    private static double Cdf(double[] quantiles, double x, bool inclusive)
    {
        var last = quantiles.Length - 1;
        if (inclusive ? x < quantiles[0] : x <= quantiles[0])
        {
            return 0;
        }

        if (inclusive ? x >= quantiles[last] : x > quantiles[last])
        {
            return 1;
        }

        // The last knot at or below x (strictly below for the left limit); the next knot is above x (at or above).
        var i = Math.Clamp((inclusive ? UpperBound(quantiles, x) : LowerBound(quantiles, x)) - 1, 0, last - 1);

        var span = quantiles[i + 1] - quantiles[i];
        var fraction = span > 0 ? (x - quantiles[i]) / span : 1;
        return (i + fraction) / last;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index < sorted.Length - 1 && sorted[index + 1] == value)
        {
            index++;
        }

        return index + 1;
    }
}
