using System.Globalization;
using NotebookMl.Core.Options;
using NotebookMl.Training.Tuning;
using Xunit.Abstractions;

namespace NotebookMl.Training.Tests.Tuning;

/// <summary>
/// The samplers on benchmark functions with known optima, seeded so that every run is the same: TPE reaches the
/// 2-d quadratic's and Branin's minima within stated distances and beats random search on the same budget; whole numbers
/// on a log scale and choices are searched as such. Search spaces read as written, and bad ones are refused.
/// </summary>
public sealed class SamplerTests(ITestOutputHelper output)
{
    private static readonly SearchSpace s_plane = SearchSpace.Parse("x=float(-10,10) y=float(-10,10)", "Space");
    private static readonly SearchSpace s_branin = SearchSpace.Parse("x1=float(-5,10) x2=float(0,15)", "Space");

    [Fact]
    public void Tpe_finds_the_minimum_of_a_quadratic_and_of_branin_and_beats_random_search()
    {
        static double Quadratic(IReadOnlyDictionary<string, object> v) => Math.Pow((double)v["x"] - 2, 2) + Math.Pow((double)v["y"] + 3, 2);
        static double Branin(IReadOnlyDictionary<string, object> v)
        {
            var (x1, x2) = ((double)v["x1"], (double)v["x2"]);
            var (b, c) = (5.1 / (4 * Math.PI * Math.PI), 5 / Math.PI);
            return Math.Pow(x2 - (b * x1 * x1) + (c * x1) - 6, 2) + (10 * (1 - (1 / (8 * Math.PI))) * Math.Cos(x1)) + 10;
        }

        var seeds = Enumerable.Range(1, 7).ToArray();
        var quadratic = seeds.Select(s => Minimize(new TpeSampler(s), s_plane, Quadratic, 80)).Order().ToArray();
        var quadraticRandom = seeds.Select(s => Minimize(new RandomSampler(s), s_plane, Quadratic, 80)).Order().ToArray();
        var branin = seeds.Select(s => Minimize(new TpeSampler(s), s_branin, Branin, 100)).Order().ToArray();
        var braninRandom = seeds.Select(s => Minimize(new RandomSampler(s), s_branin, Branin, 100)).Order().ToArray();
        output.WriteLine($"quadratic TPE {string.Join(" ", quadratic.Select(F))} random {string.Join(" ", quadraticRandom.Select(F))}");
        output.WriteLine($"branin TPE {string.Join(" ", branin.Select(F))} random {string.Join(" ", braninRandom.Select(F))}");

        // Medians over 7 seeds; the quadratic's minimum is 0 at (2, −3), Branin's 0.397887 at three points.
        Assert.True(quadratic[3] < 0.1, $"quadratic: median best {quadratic[3]}");
        Assert.True(branin[3] - 0.397887 < 0.1, $"Branin: median best {branin[3]}");
        Assert.True(quadratic[3] < quadraticRandom[3] / 3 && branin[3] - 0.397887 < (braninRandom[3] - 0.397887) / 3, "TPE should beat random search by 3x on the median");
    }

    [Fact]
    public void A_seed_gives_the_same_trials_every_time()
    {
        var space = SearchSpace.Parse("leaves=int(15,1023,log) learning_rate=float(0.01,0.3,log) rows=int(5,200) weight=choice(none,balanced)", "Space");
        static double Objective(IReadOnlyDictionary<string, object> v) => Math.Abs(Math.Log((long)v["leaves"]) - 4) + ((string)v["weight"] == "balanced" ? 0 : 1) + Math.Abs((double)v["learning_rate"] - 0.05);

        var first = Trials(new TpeSampler(9), space, Objective, 30);
        var second = Trials(new TpeSampler(9), space, Objective, 30);

        Assert.Equal(first.Select(Text), second.Select(Text));
        Assert.All(first, t => Assert.InRange((long)t["leaves"], 15, 1023));
        Assert.All(first, t => Assert.InRange((long)t["rows"], 5, 200));
        Assert.All(first, t => Assert.InRange((double)t["learning_rate"], 0.01, 0.3));
    }

    [Fact]
    public void Whole_numbers_on_a_log_scale_and_choices_are_searched_as_such()
    {
        var space = SearchSpace.Parse("leaves=int(2,4096,log) weight=choice(none,balanced,sqrt)", "Space");
        static double Objective(IReadOnlyDictionary<string, object> v) => Math.Pow(Math.Log((long)v["leaves"]) - Math.Log(100), 2) + ((string)v["weight"] == "sqrt" ? 0 : 1);

        var trials = Trials(new TpeSampler(3), space, Objective, 60);
        var best = trials.MinBy(Objective)!;
        // After the random start, most trials take the best choice and stay near the best size.
        var late = trials.Skip(30).ToArray();

        Assert.Equal("sqrt", best["weight"]);
        Assert.InRange((long)best["leaves"], 70, 140);
        Assert.True(late.Count(t => (string)t["weight"] == "sqrt") >= 20, $"{late.Count(t => (string)t["weight"] == "sqrt")} of 30 late trials chose sqrt");
    }

    [Fact]
    public void A_grid_visits_every_combination_once_skipping_what_other_workers_run_then_ends()
    {
        var space = SearchSpace.Parse("leaves=choice(31,63,127) trees=int(1,4) weight=choice(none,balanced)", "Space");
        var grid = new GridSampler(space, seed: 5);
        var running = new List<IReadOnlyDictionary<string, object>>();
        var finished = new List<Observation>();

        // Another worker holds the first point the whole time.
        running.Add(grid.Sample(space, finished, running)!);
        while (grid.Sample(space, finished, running) is { } next)
        {
            finished.Add(new Observation(finished.Count, next, 0));
        }

        Assert.Equal(24, grid.Count);
        Assert.Equal(23, finished.Count);
        Assert.Equal(24, finished.Select(f => Text(f.Values)).Append(Text(running[0])).Distinct().Count());
        var error = Assert.Throws<InvalidOptionException>(() => new GridSampler(SearchSpace.Parse("rate=float(0.01,0.3)", "Space"), 1));
        Assert.Equal("rate: a grid needs a list of values; give choice(A,B,…) or int(LOW,HIGH) with at most 1,000 values.", error.Reason);
    }

    [Theory]
    [InlineData("leaves=int(15,1023,log) learning_rate=float(0.01,0.3,log) min_rows_per_leaf=int(5,200) class_weight=choice(none,balanced)",
        "leaves=int(15,1023,log) learning_rate=float(0.01,0.3,log) min_rows_per_leaf=int(5,200) class_weight=choice(none,balanced)")]
    [InlineData("  trees=int(10,500)   x=float(-1.5,2e1) ", "trees=int(10,500) x=float(-1.5,20)")]
    public void A_space_reads_as_written(string text, string expected) => Assert.Equal(expected, SearchSpace.Parse(text, "Space").ToString());

    [Theory]
    [InlineData("leaves=int(50,10)", "leaves: the range 50..10 is empty; LOW must be below HIGH.")]
    [InlineData("learning_rate=float(0,1,log)", "learning_rate: a log scale needs LOW above 0, got 0.")]
    [InlineData("leaves=int(1.5,10)", "leaves: int() takes whole numbers, got '1.5' and '10'.")]
    [InlineData("depth=int(1,10)", "'depth' is not an option a trial can take; tunable: learning_rate, leaves.")]
    [InlineData("leaves=range(1,10)", "'leaves=range(1,10)' is not a dimension; expected NAME=int(LOW,HIGH[,log]), NAME=float(LOW,HIGH[,log]) or NAME=choice(A,B,…).")]
    [InlineData("leaves=int(1,10) leaves=int(2,3)", "'leaves' is given twice.")]
    [InlineData("", "the search space is empty; give at least one NAME=int(…), float(…) or choice(…).")]
    public void A_bad_space_is_refused_in_one_line(string text, string message)
    {
        var error = Assert.Throws<InvalidOptionException>(() => SearchSpace.Parse(text, "Space", ["leaves", "learning_rate"]));

        Assert.Equal(("Space", message), (error.Option, error.Reason));
    }

    private static double Minimize(ISampler sampler, SearchSpace space, Func<IReadOnlyDictionary<string, object>, double> objective, int trials) =>
        Trials(sampler, space, objective, trials).Min(objective);

    private static List<IReadOnlyDictionary<string, object>> Trials(ISampler sampler, SearchSpace space, Func<IReadOnlyDictionary<string, object>, double> objective, int trials)
    {
        var finished = new List<Observation>();
        var values = new List<IReadOnlyDictionary<string, object>>();
        for (var n = 0; n < trials; n++)
        {
            var next = sampler.Sample(space, finished, [])!;
            values.Add(next);
            finished.Add(new Observation(n, next, objective(next)));
        }

        return values;
    }

    private static string Text(IReadOnlyDictionary<string, object> values) => string.Join(",", values.Select(v => $"{v.Key}={Convert.ToString(v.Value, CultureInfo.InvariantCulture)}"));

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
