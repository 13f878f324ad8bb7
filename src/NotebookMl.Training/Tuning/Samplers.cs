using System.Globalization;

namespace NotebookMl.Training.Tuning;

/// <summary>A finished trial as a sampler sees it: its number, its values and its loss (lower is better).</summary>
/// <param name="Number">The trial's number in its study (0, 1, …): the order the weights follow.</param>
/// <param name="Values">The value of each dimension: long, double or string.</param>
/// <param name="Loss">The objective, negated for a study that maximizes.</param>
/// <param name="Complete">False for a pruned trial: worse than every complete one, better the further it got.</param>
/// <param name="Step">How far a pruned trial got (trees, epochs).</param>
public sealed record Observation(int Number, IReadOnlyDictionary<string, object> Values, double Loss, bool Complete = true, long Step = 0);

/// <summary>Chooses the next trial's values from the space and the trials so far.</summary>
public interface ISampler
{
    /// <summary>
    /// The next trial's value of every dimension (long, double or string), given the finished trials and the values of
    /// those still running (other workers'); null when the sampler has nothing left to try (a grid run through).
    /// </summary>
    IReadOnlyDictionary<string, object>? Sample(SearchSpace space, IReadOnlyList<Observation> finished, IReadOnlyList<IReadOnlyDictionary<string, object>> running);
}

/// <summary>Every dimension drawn on its own, uniformly (on the log scale where it has one), seeded.</summary>
public sealed class RandomSampler(int seed) : ISampler
{
    private readonly Random _random = new(seed);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object>? Sample(SearchSpace space, IReadOnlyList<Observation> finished, IReadOnlyList<IReadOnlyDictionary<string, object>> running) => Draw(space, _random);

    internal static IReadOnlyDictionary<string, object> Draw(SearchSpace space, Random random) =>
        space.Dimensions.ToDictionary(d => d.Name, d => d switch
        {
            IntDimension { Log: false } i => (object)(i.Low + random.NextInt64(i.High - i.Low + 1)),
            ChoiceDimension c => c.Choices[random.Next(c.Choices.Count)],
            _ => Scale.ToValue(d, Scale.Low(d) + (random.NextDouble() * (Scale.High(d) - Scale.Low(d)))),
        });
}

/// <summary>
/// Every combination of the dimensions' values once, in an order shuffled by the seed (so that workers started together
/// spread over the grid), skipping those finished or running. Every dimension must list its values: choice(…), or
/// int(…) with at most 1,000 values.
/// </summary>
public sealed class GridSampler : ISampler
{
    private readonly IReadOnlyDictionary<string, object>[] _grid;

    /// <summary>The grid of <paramref name="space"/>; a dimension without a finite list of values is refused, naming it.</summary>
    public GridSampler(SearchSpace space, int seed, string option = "Space")
    {
        IEnumerable<Dictionary<string, object>> grid = [[]];
        foreach (var dimension in space.Dimensions)
        {
            var values = dimension switch
            {
                ChoiceDimension c => c.Choices.Cast<object>().ToArray(),
                IntDimension { Log: false } i when i.High - i.Low < 1000 => Enumerable.Range(0, (int)(i.High - i.Low + 1)).Select(k => (object)(i.Low + k)).ToArray(),
                _ => throw new Core.Options.InvalidOptionException(option, $"{dimension.Name}: a grid needs a list of values; give choice(A,B,…) or int(LOW,HIGH) with at most 1,000 values."),
            };
            grid = grid.SelectMany(g => values.Select(v => new Dictionary<string, object>(g) { [dimension.Name] = v })).ToArray();
        }

        var points = grid.Cast<IReadOnlyDictionary<string, object>>().ToArray();
        new Random(seed).Shuffle(points);
        _grid = points;
    }

    /// <summary>How many combinations the grid holds.</summary>
    public int Count => _grid.Length;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object>? Sample(SearchSpace space, IReadOnlyList<Observation> finished, IReadOnlyList<IReadOnlyDictionary<string, object>> running)
    {
        var taken = finished.Select(f => f.Values).Concat(running).Select(Key).ToHashSet(StringComparer.Ordinal);
        return _grid.FirstOrDefault(point => !taken.Contains(Key(point)));
    }

    private static string Key(IReadOnlyDictionary<string, object> values) =>
        string.Join("\u001f", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={Convert.ToString(v.Value, CultureInfo.InvariantCulture)}"));
}

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al. 2011), as Optuna 3.1 runs it by default: the first
/// <paramref name="startupTrials"/> trials at random; then, per dimension, the best γ(n) = min(⌈n/10⌉, 25) trials make
/// l(x) and the rest g(x) (<see cref="ParzenEstimator"/>), <paramref name="candidates"/> values are drawn from l, and the
/// one with the largest l(x)/g(x) is taken. Seeded: the same seed and results give the same trials.
/// </summary>
public sealed class TpeSampler(int seed, int startupTrials = 10, int candidates = 24) : ISampler
{
    private readonly Random _random = new(seed);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object>? Sample(SearchSpace space, IReadOnlyList<Observation> finished, IReadOnlyList<IReadOnlyDictionary<string, object>> running)
    {
        if (finished.Count < startupTrials)
        {
            return RandomSampler.Draw(space, _random);
        }

        // Complete trials first, by loss; then pruned ones, the furthest first.
        var ranked = finished.OrderBy(o => o.Complete ? 0 : 1).ThenBy(o => o.Complete ? 0 : -o.Step).ThenBy(o => o.Loss).ThenBy(o => o.Number).ToArray();
        var below = ranked.Take(Math.Min((int)Math.Ceiling(0.1 * finished.Count), 25)).OrderBy(o => o.Number).ToArray();
        var above = ranked.Skip(below.Length).OrderBy(o => o.Number).ToArray();
        var values = new Dictionary<string, object>();
        foreach (var dimension in space.Dimensions)
        {
            var (good, bad) = (Estimator(dimension, below), Estimator(dimension, above));
            // Candidates are judged as they would be taken: whole numbers rounded first.
            var drawn = good.Sample(_random, candidates).Select(x => dimension is ChoiceDimension c ? (Value: (object)c.Choices[(int)x], Axis: x) : Candidate(dimension, x));
            values[dimension.Name] = drawn.MaxBy(x => good.LogPdf(x.Axis) - bad.LogPdf(x.Axis)).Value;
        }

        return values;
    }

    private static (object Value, double Axis) Candidate(Dimension dimension, double axis)
    {
        var value = Scale.ToValue(dimension, axis);
        return (value, Scale.ToAxis(dimension, value));
    }

    private static ParzenEstimator Estimator(Dimension dimension, IReadOnlyList<Observation> trials) => dimension is ChoiceDimension c
        ? ParzenEstimator.Categorical(trials.Select(t => c.Choices.ToList().IndexOf((string)t.Values[c.Name])).ToArray(), c.Choices.Count)
        : ParzenEstimator.Numeric(trials.Select(t => Scale.ToAxis(dimension, t.Values[dimension.Name])).ToArray(), Scale.Low(dimension), Scale.High(dimension),
            dimension is IntDimension { Log: false } ? 1 : null);
}

/// <summary>
/// The axis a numeric dimension is searched on: its own values, or their logarithms; whole numbers widened by ½ at each
/// end so that the ends are as likely as any other value, and rounded back.
/// </summary>
internal static class Scale
{
    public static double Low(Dimension d) => d switch
    {
        IntDimension i => i.Log ? Math.Log(i.Low - 0.5) : i.Low - 0.5,
        FloatDimension f => f.Log ? Math.Log(f.Low) : f.Low,
        _ => 0,
    };

    public static double High(Dimension d) => d switch
    {
        IntDimension i => i.Log ? Math.Log(i.High + 0.5) : i.High + 0.5,
        FloatDimension f => f.Log ? Math.Log(f.High) : f.High,
        _ => 0,
    };

    public static double ToAxis(Dimension d, object value)
    {
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return d is IntDimension { Log: true } or FloatDimension { Log: true } ? Math.Log(number) : number;
    }

    public static object ToValue(Dimension d, double axis) => d switch
    {
        // Boxed arm by arm: a switch of long and double would make every value a double.
        IntDimension i => (object)Math.Clamp((long)Math.Round(i.Log ? Math.Exp(axis) : axis, MidpointRounding.ToEven), i.Low, i.High),
        FloatDimension f => (object)Math.Clamp(f.Log ? Math.Exp(axis) : axis, f.Low, f.High),
        _ => throw new InvalidOperationException($"{d.Name} is not numeric."),
    };
}
