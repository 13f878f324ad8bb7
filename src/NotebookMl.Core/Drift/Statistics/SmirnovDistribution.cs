namespace NotebookMl.Core.Drift.Statistics;

/// <summary>
/// The one-sided Kolmogorov–Smirnov (Smirnov) survival function P(D⁺_n ≥ x), as <c>scipy.special.smirnov</c>: the
/// Birnbaum–Tingey sum x·Σ_{v=0}^{⌊n(1−x)⌋} C(n,v)(x + v/n)^(v−1)(1 − x − v/n)^(n−v) with SciPy's special cases. SciPy sums
/// in double-double arithmetic; here each term is summed in logarithms with compensated addition, which agrees with it to
/// far better than 1e-9 (the tests compare the two).
/// </summary>
internal static class SmirnovDistribution
{
    private const int MaxComputeN = 1000000;
    private const double MinLog = -708.3964185322641;
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>P(D⁺_n ≥ <paramref name="x"/>).</summary>
    public static double Survival(int n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
        {
            return double.NaN;
        }

        if (n == 1)
        {
            return 1 - x;
        }

        if (x == 0.0)
        {
            return 1.0;
        }

        if (x == 1.0)
        {
            return 0.0;
        }

        // floor(n·x) and the remainder exactly: the product's rounding error comes from a fused multiply-add.
        var nx = n * x;
        var error = Math.FusedMultiplyAdd(n, x, -nx);
        var floor = Math.Floor(nx);
        var alpha = nx - floor + error;
        if (alpha < 0)
        {
            floor -= 1;
            alpha += 1;
        }
        else if (alpha >= 1)
        {
            floor += 1;
            alpha -= 1;
        }

        var nxFloor = (int)floor;
        if (nxFloor == 0 || (nxFloor == 1 && alpha == 0))
        {
            return Clip(1 - (x * Math.Pow(1 + x, n - 1)));
        }

        if (-2 * n * x * x < MinLog)
        {
            return 0.0;
        }

        if (nxFloor >= n - 1)
        {
            return Clip(Math.Pow(1 - x, n));
        }

        if (n > MaxComputeN)
        {
            return Clip(Math.Exp(-Math.Pow((6 * n * x) + 1.0, 2) / 18.0 / n));
        }

        // The lower sum: v = 0 … n − ⌊nx⌋ − 1 (the term at v = n(1 − x) is zero).
        var terms = n - nxFloor;
        var logBinomial = 0.0;
        var logBinomialCompensation = 0.0;
        double sum = 0, compensation = 0;
        for (var v = 0; v < terms; v++)
        {
            var rising = x + ((double)v / n);
            var falling = ((double)(n - v) / n) - x;
            var logTerm = logBinomial + logBinomialCompensation + ((v - 1) * Math.Log(rising)) + ((n - v) * Math.Log(falling));
            var term = Math.Exp(logTerm);
            (sum, compensation) = Add(sum, compensation, term);
            if (term > 0 && 4.0 * (terms - v) * term < MachineEpsilon * sum && v != terms - 1 && v > 0)
            {
                break;
            }

            (logBinomial, logBinomialCompensation) = Add(logBinomial, logBinomialCompensation, Math.Log((double)(n - v) / (v + 1)));
        }

        return Clip(x * (sum + compensation));
    }

    /// <summary>Neumaier's compensated addition of <paramref name="value"/> to a running sum.</summary>
    private static (double Sum, double Compensation) Add(double sum, double compensation, double value)
    {
        var total = sum + value;
        compensation += Math.Abs(sum) >= Math.Abs(value) ? (sum - total) + value : (value - total) + sum;
        return (total, compensation);
    }

    private static double Clip(double p) => Math.Clamp(p, 0.0, 1.0);
}
