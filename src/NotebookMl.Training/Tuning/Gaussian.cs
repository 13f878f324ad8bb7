namespace NotebookMl.Training.Tuning;

/// <summary>
/// The standard normal distribution as the Parzen estimators need it, accurate far into the tails: log masses of
/// intervals, the quantile function, and draws from a truncated normal. .NET has no erf; this one sums the positive
/// series near 0 and evaluates the continued fraction of erfc beyond, both to about 1e-15.
/// </summary>
internal static class Gaussian
{
    private static readonly double s_logSqrtPi = 0.5 * Math.Log(Math.PI);
    private static readonly double s_logSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>log(erfc(x)) for x ≥ 0, without underflow.</summary>
    public static double LogErfc(double x)
    {
        if (x < 2.5)
        {
            return Math.Log(1 - Erf(x));
        }

        // erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the 80th term back.
        var fraction = x;
        for (var n = 80; n >= 1; n--)
        {
            fraction = x + (n / 2.0 / fraction);
        }

        return (-x * x) - s_logSqrtPi - Math.Log(fraction);
    }

    /// <summary>erf(x) for |x| &lt; 2.5: 2/√π · e^(−x²) · Σ 2ⁿ x²ⁿ⁺¹ / (1·3·…·(2n+1)), every term positive.</summary>
    public static double Erf(double x)
    {
        if (x < 0)
        {
            return -Erf(-x);
        }

        double term = x, sum = x;
        for (var n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2 * x * x / ((2 * n) + 1);
            sum += term;
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    /// <summary>log Φ(x) − … : log of the standard normal mass between <paramref name="a"/> and <paramref name="b"/> (a &lt; b).</summary>
    public static double LogMass(double a, double b)
    {
        if (a > 0)
        {
            (a, b) = (-b, -a);
        }

        // Now a ≤ 0. Tail masses: Φ(a) = erfc(−a/√2)/2 and 1 − Φ(b) = erfc(b/√2)/2.
        var logLowTail = Math.Log(0.5) + LogErfc(-a / Math.Sqrt(2));
        if (b <= 0)
        {
            // Φ(b) − Φ(a), both tails on the left.
            var logUpper = Math.Log(0.5) + LogErfc(-b / Math.Sqrt(2));
            return logUpper + Math.Log(-ExpM1(logLowTail - logUpper));
        }

        var highTail = 0.5 * Math.Exp(LogErfc(b / Math.Sqrt(2)));
        return Log1P(-Math.Exp(logLowTail) - highTail);
    }

    // eˣ − 1 and log(1 + x) without losing the digits of a small x (.NET's double.ExpM1 is Exp(x) − 1).
    private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;

    private static double Log1P(double x) => Math.Abs(x) < 1e-4 ? x - (x * x / 2) + (x * x * x / 3) - (x * x * x * x / 4) : Math.Log(1 + x);

    /// <summary>The log density of the standard normal at <paramref name="x"/>.</summary>
    public static double LogPdf(double x) => (-0.5 * x * x) - s_logSqrt2Pi;

    /// <summary>Φ(x).</summary>
    public static double Cdf(double x) => x < 0 ? 0.5 * Math.Exp(LogErfc(-x / Math.Sqrt(2))) : 1 - (0.5 * Math.Exp(LogErfc(x / Math.Sqrt(2))));

    /// <summary>Φ⁻¹(p) for 0 &lt; p &lt; 1: Acklam's rational approximation, then a Halley step on Φ.</summary>
    public static double Quantile(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double x;
        if (p < 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((((((c[0] * q) + c[1]) * q) + c[2]) * q) + c[3]) * q) + c[4]) * q + c[5]) / ((((((((d[0] * q) + d[1]) * q) + d[2]) * q) + d[3]) * q) + 1);
        }
        else if (p > 1 - 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((((((c[0] * q) + c[1]) * q) + c[2]) * q) + c[3]) * q) + c[4]) * q + c[5]) / ((((((((d[0] * q) + d[1]) * q) + d[2]) * q) + d[3]) * q) + 1);
        }
        else
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((((((a[0] * r) + a[1]) * r) + a[2]) * r) + a[3]) * r) + a[4]) * r + a[5]) * q / (((((((((b[0] * r) + b[1]) * r) + b[2]) * r) + b[3]) * r) + b[4]) * r + 1);
        }

        var e = Cdf(x) - p;
        var u = e * Math.Exp(-LogPdf(x));
        return x - (u / (1 + (x * u / 2)));
    }

    /// <summary>A draw from the normal with mean <paramref name="mu"/> and deviation <paramref name="sigma"/> truncated to [low, high].</summary>
    public static double TruncatedDraw(Random random, double mu, double sigma, double low, double high)
    {
        var (a, b) = ((low - mu) / sigma, (high - mu) / sigma);
        // Draw on the side nearer 0, where Φ keeps its digits, and mirror back.
        var mirrored = a > 0;
        if (mirrored)
        {
            (a, b) = (-b, -a);
        }

        var (pa, pb) = (Cdf(a), Cdf(b));
        var p = pa + (random.NextDouble() * (pb - pa));
        var z = p <= 0 || p >= 1 ? (p <= 0 ? a : b) : Math.Clamp(Quantile(p), a, b);
        return mu + (sigma * (mirrored ? -z : z));
    }
}
