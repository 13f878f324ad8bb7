namespace NotebookMl.Core.Drift.Statistics;

/// <summary>
/// The Jensen–Shannon distance with natural logarithms, equal to <c>scipy.spatial.distance.jensenshannon</c> of SciPy 1.10:
/// both vectors are normalised to sum to one, and the distance is √((KL(p‖m) + KL(q‖m)) / 2) with m = (p + q) / 2. It lies
/// in [0, √ln 2]; empty entries are allowed.
/// </summary>
public static class JensenShannon
{
    /// <summary>The distance between two frequency (or count) vectors over the same bins.</summary>
    public static double Distance(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException("Both vectors need the same bins.", nameof(q));
        }

        double pTotal = 0, qTotal = 0;
        for (var i = 0; i < p.Length; i++)
        {
            pTotal += p[i];
            qTotal += q[i];
        }

        double left = 0, right = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var (pi, qi) = (p[i] / pTotal, q[i] / qTotal);
            var m = (pi + qi) / 2.0;
            left += RelativeEntropy(pi, m);
            right += RelativeEntropy(qi, m);
        }

        return Math.Sqrt((left + right) / 2.0);
    }

    private static double RelativeEntropy(double x, double y) => x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
}
