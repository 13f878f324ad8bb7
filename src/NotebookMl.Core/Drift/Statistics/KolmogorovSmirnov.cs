namespace NotebookMl.Core.Drift.Statistics;

/// <summary>How the two-sample Kolmogorov–Smirnov p-value is computed.</summary>
public enum KsPValueMethod
{
    /// <summary>Exact when both samples have at most 10,000 values, otherwise asymptotic (SciPy's default).</summary>
    Auto,

    /// <summary>The exact distribution of the two-sample statistic (Hodges; Viehmann's stable recursion).</summary>
    Exact,

    /// <summary>The one-sample Kolmogorov distribution with n = round(n1·n2 / (n1 + n2)).</summary>
    Asymptotic,
}

/// <summary>
/// The two-sided two-sample Kolmogorov–Smirnov test, equal to <c>scipy.stats.ks_2samp</c> of SciPy 1.10 (statistic and
/// p-value): the largest distance between the two empirical distribution functions, ties counted on both sides.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>SciPy's limit for an exact p-value under <see cref="KsPValueMethod.Auto"/>.</summary>
    public const int MaxAutoExact = 10000;

    /// <summary>
    /// Tests two samples, each sorted ascending without NaN. Under the exact method the statistic is rounded to the lattice
    /// of the exact distribution (h / lcm(n1, n2)), as SciPy does.
    /// </summary>
    public static TestResult TwoSample(ReadOnlySpan<double> first, ReadOnlySpan<double> second, KsPValueMethod method = KsPValueMethod.Auto)
    {
        var (n1, n2) = (first.Length, second.Length);
        if (n1 == 0 || n2 == 0)
        {
            throw new ArgumentException("Both samples need at least one value.", n1 == 0 ? nameof(first) : nameof(second));
        }

        var d = Statistic(first, second);
        var g = Gcd(n1, n2);
        var mode = method;
        if (mode == KsPValueMethod.Auto)
        {
            mode = Math.Max(n1, n2) <= MaxAutoExact ? KsPValueMethod.Exact : KsPValueMethod.Asymptotic;
        }
        else if (mode == KsPValueMethod.Exact && n1 / g >= int.MaxValue / (double)(n2 / g))
        {
            mode = KsPValueMethod.Asymptotic;
        }

        double p = double.NaN;
        if (mode == KsPValueMethod.Exact)
        {
            var lcm = (long)(n1 / g) * n2;
            var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
            d = h * 1.0 / lcm;
            if (h == 0)
            {
                p = 1.0;
            }
            else
            {
                p = n1 == n2 ? ProbabilityOutsideSquare(n1, h) : OutsideProbabilityInsideMethod(n1, n2, g, h);
                if (!(p >= 0 && p <= 1))
                {
                    mode = KsPValueMethod.Asymptotic;
                }
            }
        }

        if (mode == KsPValueMethod.Asymptotic)
        {
            var (m, n) = ((double)Math.Max(n1, n2), (double)Math.Min(n1, n2));
            var en = m * n / (m + n);
            p = KolmogorovDistribution.Survival((int)Math.Round(en, MidpointRounding.ToEven), d);
        }

        return new TestResult(d, Math.Clamp(p, 0, 1));
    }

    /// <summary>The two-sided statistic: max |F1(x) − F2(x)| over every value of either sample.</summary>
    public static double Statistic(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        var (n1, n2) = (first.Length, second.Length);
        double max = 0, min = 0;
        var (i, j) = (0, 0);
        while (i < n1 || j < n2)
        {
            var x = j >= n2 || (i < n1 && first[i] <= second[j]) ? first[i] : second[j];
            while (i < n1 && first[i] == x)
            {
                i++;
            }

            while (j < n2 && second[j] == x)
            {
                j++;
            }

            var difference = ((double)i / n1) - ((double)j / n2);
            max = Math.Max(max, difference);
            min = Math.Min(min, difference);
        }

        var minS = Math.Clamp(-min, 0, 1);
        return minS > max ? minS : max;
    }

    /// <summary>P(D_{n,n} ≥ h/n) for two samples of n values each.</summary>
    private static double ProbabilityOutsideSquare(int n, long h)
    {
        var p = 0.0;
        for (var k = (long)Math.Floor(n / (double)h); k >= 0; k--)
        {
            var p1 = 1.0;
            for (var j = 0L; j < h; j++)
            {
                p1 = (n - (k * h) - j) * p1 / (n + (k * h) + j + 1);
            }

            p = p1 * (1.0 - p);
        }

        return 2 * p;
    }

    /// <summary>
    /// The share of lattice paths from (0, 0) to (m, n) that leave the band |x/m − y/n| &lt; h / lcm(m, n), computed
    /// directly as one minus the inside share (Viehmann's recursion, as SciPy).
    /// </summary>
    private static double OutsideProbabilityInsideMethod(int m, int n, int g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        long mg = m / g, ng = n / g;
        var minJ = 0;
        var maxJ = (int)Math.Min(Math.Ceiling(h / (double)mg), n + 1);
        var currentLength = maxJ - minJ;
        var a = new double[Math.Min((2 * maxJ) + 2, n + 1)];
        Array.Fill(a, 1.0);
        Array.Fill(a, 0.0, minJ, maxJ - minJ);
        for (var i = 1; i <= m; i++)
        {
            var (lastMinJ, lastLength) = (minJ, currentLength);
            minJ = Math.Min(Math.Max((int)Math.Floor(((ng * i) - h) / (double)mg) + 1, 0), n);
            maxJ = (int)Math.Min(Math.Ceiling(((ng * i) + h) / (double)mg), n + 1);
            if (maxJ <= minJ)
            {
                return 1.0;
            }

            var value = minJ == 0 ? 0.0 : 1.0;
            for (var jj = 0; jj < maxJ - minJ; jj++)
            {
                var j = jj + minJ;
                value = ((a[jj + minJ - lastMinJ] * i) + (value * j)) / (i + j);
                a[jj] = value;
            }

            currentLength = maxJ - minJ;
            if (lastLength > currentLength)
            {
                Array.Fill(a, 1.0, maxJ - minJ, Math.Min(lastLength - currentLength, a.Length - (maxJ - minJ)));
            }
        }

        return a[maxJ - minJ - 1];
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
