using MathNet.Numerics;

namespace NotebookMl.Core.Drift.Statistics;

/// <summary>
/// Pearson's chi-square test of independence on the 2×k table of category counts (reference, current), equal to
/// <c>scipy.stats.chi2_contingency</c> of SciPy 1.10: expected counts from the margins, k − 1 degrees of freedom, and
/// Yates' continuity correction only when k = 2 (one degree of freedom), as SciPy's default.
/// </summary>
public static class ChiSquare
{
    /// <summary>Tests two count vectors over the same categories; every category must have a count on some side.</summary>
    public static TestResult Contingency(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        if (reference.Length != current.Length)
        {
            throw new ArgumentException("Both count vectors need the same categories.", nameof(current));
        }

        var k = reference.Length;
        double referenceTotal = 0, currentTotal = 0;
        for (var c = 0; c < k; c++)
        {
            referenceTotal += reference[c];
            currentTotal += current[c];
        }

        var total = referenceTotal + currentTotal;
        var degrees = k - 1;
        if (degrees <= 0)
        {
            return new TestResult(0.0, 1.0);
        }

        var statistic = 0.0;
        for (var c = 0; c < k; c++)
        {
            var column = reference[c] + current[c];
            if (column == 0)
            {
                throw new ArgumentException($"Category {c} has no count on either side; the expected frequency would be zero.", nameof(reference));
            }

            statistic += Term(reference[c], referenceTotal * column / total, degrees) + Term(current[c], currentTotal * column / total, degrees);
        }

        return new TestResult(statistic, Survival(statistic, degrees));
    }

    /// <summary>P(χ²_k ≥ x): the upper regularized incomplete gamma function Q(k/2, x/2).</summary>
    public static double Survival(double x, int degrees) =>
        x <= 0 ? 1.0 : double.IsPositiveInfinity(x) ? 0.0 : SpecialFunctions.GammaUpperRegularized(degrees / 2.0, x / 2.0);

    private static double Term(double observed, double expected, int degrees)
    {
        if (degrees == 1)
        {
            // Yates: move each observed count half a unit toward its expectation (never past it).
            var difference = expected - observed;
            observed += Math.Sign(difference) * Math.Min(0.5, Math.Abs(difference));
        }

        var deviation = observed - expected;
        return deviation * deviation / expected;
    }
}
