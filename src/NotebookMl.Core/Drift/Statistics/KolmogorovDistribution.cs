namespace NotebookMl.Core.Drift.Statistics;

/// <summary>
/// The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, P(D_n ≥ x), computed as SciPy 1.10
/// does (<c>scipy.stats.kstwo.sf</c>): Simard and L'Ecuyer's choice between Ruben–Gambino's closed forms, Durbin's matrix
/// algorithm (Marsaglia–Tsang–Wang), Pomeranz's recursion, the Pelz–Good approximation and twice the one-sided Smirnov
/// probability. <see cref="KolmogorovSmirnov"/> uses it for two large samples with n = round(n1·n2 / (n1 + n2)).
/// </summary>
internal static class KolmogorovDistribution
{
    private const int Scale = 128;
    private static readonly double s_big = Math.ScaleB(1.0, Scale);
    private static readonly double s_small = Math.ScaleB(1.0, -Scale);
    private static readonly double[] s_stirling =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>P(D_n ≥ <paramref name="x"/>).</summary>
    public static double Survival(int n, double x)
    {
        if (x >= 1.0 || n <= 0)
        {
            return n <= 0 ? double.NaN : 0.0;
        }

        var t = n * x;
        if (x <= 0.0 || t <= 0.5)
        {
            return 1.0;
        }

        if (t <= 1.0)
        {
            // Ruben–Gambino: 1/2n ≤ x ≤ 1/n.
            double cdf;
            if (n <= 140)
            {
                cdf = 1.0;
                for (var i = 1; i <= n; i++)
                {
                    cdf *= i * (1.0 / n) * ((2 * t) - 1);
                }
            }
            else
            {
                cdf = Math.Exp(LogFactorialOverPower(n) + (n * Math.Log((2 * t) - 1)));
            }

            return Clip(1.0 - cdf);
        }

        if (t >= n - 1)
        {
            return Clip(2 * Math.Pow(1.0 - x, n));
        }

        if (x >= 0.5)
        {
            return Clip(2 * SmirnovDistribution.Survival(n, x));
        }

        var nxSquared = t * x;
        if (n <= 140)
        {
            return nxSquared <= 0.754693 ? Clip(1.0 - Durbin(n, x))
                : nxSquared <= 4 ? Clip(1.0 - Pomeranz(n, x))
                : Clip(2 * SmirnovDistribution.Survival(n, x));
        }

        if (nxSquared >= 370.0)
        {
            return 0.0;
        }

        if (nxSquared >= 2.2)
        {
            return Clip(2 * SmirnovDistribution.Survival(n, x));
        }

        var below = n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4 ? Durbin(n, x) : PelzGood(n, x);
        return Clip(1.0 - below);
    }

    /// <summary>log(n! / nⁿ) by Stirling's series, with n·log(n) removed up front.</summary>
    private static double LogFactorialOverPower(int n)
    {
        var rn = 1.0 / n;
        var y = rn / n;
        var polynomial = 0.0;
        foreach (var coefficient in s_stirling)
        {
            polynomial = (polynomial * y) + coefficient;
        }

        return (Math.Log(n) / 2) - n + (Math.Log(2 * Math.PI) / 2) + (rn * polynomial);
    }

    /// <summary>P(D_n ≤ d) by Durbin's matrix algorithm as Marsaglia, Tsang and Wang compute it.</summary>
    private static double Durbin(int n, double d)
    {
        var nd = n * d;
        if (nd <= 0.5)
        {
            return 0.0;
        }

        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;
        var v = new double[m];
        var w = new double[m];
        var factorial = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }

        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * factorial;

        var matrix = new double[m, m];
        for (var i = 1; i < m; i++)
        {
            for (var r = i - 1; r < m; r++)
            {
                matrix[r, i] = w[r - (i - 1)];
            }
        }

        for (var r = 0; r < m; r++)
        {
            matrix[r, 0] = v[r];
        }

        for (var c = 0; c < m; c++)
        {
            matrix[m - 1, c] = v[m - 1 - c];
        }

        var power = Identity(m);
        var exponent = 0;
        var matrixExponent = 0;
        for (var remaining = n; remaining > 0; remaining /= 2)
        {
            if (remaining % 2 == 1)
            {
                power = Multiply(power, matrix);
                exponent += matrixExponent;
            }

            matrix = Multiply(matrix, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[k - 1, k - 1]) > s_big)
            {
                Divide(matrix, s_big);
                matrixExponent += Scale;
            }
        }

        var p = power[k - 1, k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < s_small)
            {
                p *= s_big;
                exponent -= Scale;
            }
        }

        return Clip(exponent != 0 ? Math.ScaleB(p, exponent) : p);
    }

    /// <summary>P(D_n ≤ x) by Pomeranz's recursion.</summary>
    private static double Pomeranz(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilF = f > 0 ? 1 : 0;
        var roundF = f > 0.5 ? 1 : 0;
        var powers = 2 * (ll + 1);
        var gPower = new double[powers];
        var twoGPower = new double[powers];
        var oneMinusTwoGPower = new double[powers];
        gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
        var (gOverN, twoGOverN, oneMinusTwoGOverN) = (g / n, 2 * g / n, (1 - (2 * g)) / n);
        for (var m = 1; m < powers; m++)
        {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[powers];
        var v1 = new double[powers];
        v1[0] = 1;
        var (v0Start, v1Start) = (0, 0);
        var exponent = 0;
        var (j1, _) = Interval(0, n, ll, ceilF, roundF);
        for (var i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0Start, v1Start) = (v1Start, v0Start);
            Array.Clear(v1);
            (j1, var j2) = Interval(i, n, ll, ceilF, roundF);
            var weights = i == 1 || i == (2 * n) + 1 ? gPower : i % 2 == 1 ? twoGPower : oneMinusTwoGPower;
            var length = j2 - k1 + 1;
            if (length <= 0)
            {
                continue;
            }

            // The full convolution of v0[k1 - v0Start …] and weights[0 … length), entries j1 - k1 … j2 - k1.
            var offset = k1 - v0Start;
            var largest = 0.0;
            for (var c = 0; c <= j2 - j1; c++)
            {
                var index = c + (j1 - k1);
                var sum = 0.0;
                for (var a = Math.Max(0, index - (length - 1)); a <= Math.Min(index, length - 1); a++)
                {
                    sum += v0[offset + a] * weights[index - a];
                }

                v1[c] = sum;
                largest = Math.Max(largest, sum);
            }

            if (largest > 0 && largest < s_small)
            {
                for (var c = 0; c < v1.Length; c++)
                {
                    v1[c] *= s_big;
                }

                exponent -= Scale;
            }

            v1Start = v0Start + j1 - k1;
        }

        var answer = v1[n - v1Start];
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > s_big)
            {
                answer *= s_small;
                exponent += Scale;
            }

            answer *= m;
        }

        return Clip(exponent != 0 ? Math.ScaleB(answer, exponent) : answer);
    }

    private static (int J1, int J2) Interval(int i, int n, int ll, int ceilF, int roundF)
    {
        int j1, j2;
        if (i == 0)
        {
            (j1, j2) = (-ll - ceilF - 1, ll + ceilF - 1);
        }
        else
        {
            var (half, odd) = Math.DivRem(i + 1, 2);
            if (odd == 0)
            {
                (j1, j2) = half == n + 1
                    ? (n - ll - ceilF - 1, n + ll + ceilF - 1)
                    : (half - 1 - ll - roundF - 1, half + ll - 1 + ceilF - 1);
            }
            else
            {
                (j1, j2) = (half - 1 - ll - 1, half + ll + roundF - 1);
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    /// <summary>The Pelz–Good approximation of P(D_n ≤ x).</summary>
    private static double PelzGood(int n, double x)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        var z = Math.Sqrt(n) * x;
        var (z2, z3, z4, z6) = (z * z, z * z * z, Math.Pow(z, 4), Math.Pow(z, 6));
        var qLog = -Math.PI * Math.PI / 8 / z2;
        if (qLog < -708)
        {
            return 0.0;
        }

        var q = Math.Exp(qLog);
        var (pi2, pi4, pi6) = (Math.PI * Math.PI, Math.Pow(Math.PI, 4), Math.Pow(Math.PI, 6));
        var (k1a, k1b) = (-z2, pi2 / 4);
        var (k2a, k2b, k2c) = ((6 * z6) + (2 * z4), ((2 * z4) - (5 * z2)) * pi2 / 4, pi4 * (1 - (2 * z2)) / 16);
        var k3d = pi6 * (5 - (30 * z2)) / 64;
        var k3c = pi4 * ((-60 * z2) + (212 * z4)) / 16;
        var k3b = pi2 * ((135 * z4) - (96 * z6)) / 4;
        var k3a = (-30 * z6) - (90 * Math.Pow(z, 8));

        var terms = new double[4];
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)
        {
            var m = (2 * k) - 1;
            var (m2, m4, m6) = ((double)m * m, Math.Pow(m, 4), Math.Pow(m, 6));
            var qPower = Math.Pow(q, 8 * k);
            double[] coefficients = [1.0, k1a + (k1b * m2), k2a + (k2b * m2) + (k2c * m4), k3a + (k3b * m2) + (k3c * m4) + (k3d * m6)];
            for (var i = 0; i < 4; i++)
            {
                terms[i] = (terms[i] * qPower) + coefficients[i];
            }
        }

        var sqrt2Pi = Math.Sqrt(2 * Math.PI);
        double[] divisors = [z, 6 * z4, 72 * Math.Pow(z, 7), 6480 * Math.Pow(z, 10)];
        for (var i = 0; i < 4; i++)
        {
            terms[i] = terms[i] * q * sqrt2Pi / divisors[i];
        }

        q = Math.Exp(-pi2 / 2 / z2);
        var sqrt3z = Math.Sqrt(3) * z;
        double k2Extra = 0, k3Extra = 0;
        for (var k = maxK; k > 0; k--)
        {
            var kSquared = (double)k * k;
            var power = Math.Pow(q, kSquared);
            k2Extra += kSquared * power;
            var kPi = Math.PI * k;
            k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * kSquared * power;
        }

        terms[2] += k2Extra * pi2 * sqrt2Pi / (-36 * z3);
        terms[3] += k3Extra * pi2 * sqrt2Pi / (216 * z6);
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            sum += terms[i] / Math.Pow(n, i / 2.0);
        }

        return sum;
    }

    private static double[,] Identity(int m)
    {
        var identity = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            identity[i, i] = 1.0;
        }

        return identity;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = a.GetLength(0);
        var product = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var k = 0; k < m; k++)
            {
                var left = a[i, k];
                if (left == 0)
                {
                    continue;
                }

                for (var j = 0; j < m; j++)
                {
                    product[i, j] += left * b[k, j];
                }
            }
        }

        return product;
    }

    private static void Divide(double[,] matrix, double by)
    {
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            for (var j = 0; j < matrix.GetLength(1); j++)
            {
                matrix[i, j] /= by;
            }
        }
    }

    private static double Clip(double p) => double.IsNaN(p) ? p : Math.Clamp(p, 0.0, 1.0);
}
