namespace NotebookMl.Training.Tuning;

/// <summary>
/// One dimension's Parzen estimator, as Optuna's TPE builds it (3.1, univariate): a mixture with one component per
/// observation plus a prior component (weight 1) over the whole range. Numeric components are normals truncated to the
/// range, each as wide as the larger gap to its sorted neighbours (the outermost taking their inner gap), clipped to
/// between range/min(100, 1 + components) and the range; the prior sits mid-range, as wide as the range. Whole numbers
/// take the mass of ±½ around each value. Categorical components put the prior's share on every choice and 1 on the
/// observed one. Observations are weighted 1 each, older ones ramped down past 25.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly double[] _weights;
    private readonly double[] _mus = [];
    private readonly double[] _sigmas = [];
    private readonly double[][] _categories = [];
    private readonly double _low;
    private readonly double _high;
    private readonly double? _q;

    private ParzenEstimator(double[] weights, double[] mus, double[] sigmas, double low, double high, double? q) =>
        (_weights, _mus, _sigmas, _low, _high, _q) = (weights, mus, sigmas, low, high, q);

    private ParzenEstimator(double[] weights, double[][] categories) => (_weights, _categories) = (weights, categories);

    /// <summary>An estimator over [<paramref name="low"/>, <paramref name="high"/>] (already widened by ½ for whole numbers, whose <paramref name="q"/> is 1).</summary>
    public static ParzenEstimator Numeric(IReadOnlyList<double> observations, double low, double high, double? q)
    {
        var n = observations.Count;
        var mus = observations.Append(0.5 * (low + high)).ToArray();
        var order = Enumerable.Range(0, mus.Length).OrderBy(i => mus[i]).ToArray();
        var sorted = order.Select(i => mus[i]).ToArray();
        var withEnds = sorted.Prepend(low).Append(high).ToArray();
        var sortedSigmas = Enumerable.Range(1, sorted.Length).Select(i => Math.Max(withEnds[i] - withEnds[i - 1], withEnds[i + 1] - withEnds[i])).ToArray();
        if (withEnds.Length >= 4)
        {
            // The outermost components take their inner gap, not the gap to the range's end.
            sortedSigmas[0] = withEnds[2] - withEnds[1];
            sortedSigmas[^1] = withEnds[^2] - withEnds[^3];
        }

        var sigmas = new double[mus.Length];
        for (var k = 0; k < order.Length; k++)
        {
            sigmas[order[k]] = sortedSigmas[k];
        }

        var (minimum, maximum) = ((high - low) / Math.Min(100.0, 1.0 + mus.Length), high - low);
        for (var i = 0; i < sigmas.Length; i++)
        {
            sigmas[i] = Math.Clamp(sigmas[i], minimum, maximum);
        }

        sigmas[n] = high - low;
        return new ParzenEstimator(Weights(n), mus, sigmas, low, high, q);
    }

    /// <summary>An estimator over <paramref name="choices"/> choices from the observed choice indices.</summary>
    public static ParzenEstimator Categorical(IReadOnlyList<int> observations, int choices)
    {
        var n = observations.Count;
        var rows = Enumerable.Range(0, n + 1).Select(i =>
        {
            var row = Enumerable.Repeat(1.0 / (n + 1), choices).ToArray();
            if (i < n)
            {
                row[observations[i]] += 1;
            }

            var total = row.Sum();
            return row.Select(v => v / total).ToArray();
        }).ToArray();
        return new ParzenEstimator(Weights(n), rows);
    }

    /// <summary>Optuna's default weights of n observations in trial order: 1 each, the oldest ramped from 1/n past the latest 25.</summary>
    public static double[] DefaultWeights(int n) => n < 25
        ? Enumerable.Repeat(1.0, n).ToArray()
        : [.. Enumerable.Range(0, n - 25).Select(i => n - 25 == 1 ? 1.0 / n : (1.0 / n) + (i * (1.0 - (1.0 / n)) / (n - 26))), .. Enumerable.Repeat(1.0, 25)];

    /// <summary><paramref name="size"/> draws: a component by weight, then a value from it.</summary>
    public double[] Sample(Random random, int size)
    {
        var draws = new double[size];
        for (var s = 0; s < size; s++)
        {
            var component = Pick(random, _weights);
            draws[s] = _categories.Length > 0 ? Pick(random, _categories[component]) : Gaussian.TruncatedDraw(random, _mus[component], _sigmas[component], _low, _high);
        }

        return draws;
    }

    /// <summary>The log density (log mass for whole numbers and choices) of <paramref name="x"/>.</summary>
    public double LogPdf(double x)
    {
        if (_categories.Length > 0)
        {
            return Math.Log(_weights.Select((w, i) => w * _categories[i][(int)x]).Sum());
        }

        var terms = new double[_weights.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            var (mu, sigma) = (_mus[i], _sigmas[i]);
            var accepted = Gaussian.LogMass((_low - mu) / sigma, (_high - mu) / sigma);
            terms[i] = Math.Log(_weights[i]) + (_q is { } q
                ? Gaussian.LogMass((Math.Max(x - (q / 2), _low) - mu) / sigma, (Math.Min(x + (q / 2), _high) - mu) / sigma) - accepted
                : Gaussian.LogPdf((x - mu) / sigma) - Math.Log(sigma) - accepted);
        }

        var max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    private static double[] Weights(int n)
    {
        var weights = DefaultWeights(n).Append(1.0).ToArray();
        var total = weights.Sum();
        return weights.Select(w => w / total).ToArray();
    }

    private static int Pick(Random random, double[] probabilities)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative)
            {
                return i;
            }
        }

        return probabilities.Length - 1;
    }
}
