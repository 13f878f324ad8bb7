namespace NotebookMl.Core.Drift.Statistics;

/// <summary>
/// The first Wasserstein (earth mover's) distance between two samples, equal to <c>scipy.stats.wasserstein_distance</c> of
/// SciPy 1.10: the integral of |F1(x) − F2(x)| over the real line.
/// </summary>
public static class Wasserstein
{
    /// <summary>
    /// The rule Evidently uses to make the distance comparable across columns: it is divided by the reference's population
    /// standard deviation, or by 0.001 when that is smaller.
    /// </summary>
    public const double MinimumScale = 0.001;

    /// <summary>The distance between two samples, each sorted ascending without NaN.</summary>
    public static double Distance(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        var (n1, n2) = (first.Length, second.Length);
        if (n1 == 0 || n2 == 0)
        {
            throw new ArgumentException("Both samples need at least one value.", n1 == 0 ? nameof(first) : nameof(second));
        }

        // Walk the merged values in order: between consecutive values both CDFs are constant.
        var (i, j) = (0, 0);
        var previous = Math.Min(first[0], second[0]);
        var distance = 0.0;
        while (i < n1 || j < n2)
        {
            var x = j >= n2 || (i < n1 && first[i] <= second[j]) ? first[i] : second[j];
            distance += Math.Abs(((double)i / n1) - ((double)j / n2)) * (x - previous);
            previous = x;
            if (i < n1 && first[i] == x)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return distance;
    }

    /// <summary>The distance divided by <paramref name="scale"/> (the reference's population standard deviation), at least <see cref="MinimumScale"/>.</summary>
    public static double Normalized(double distance, double scale) => distance / Math.Max(scale, MinimumScale);
}
