using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Core.Options;
using NotebookMl.Testing;
using NotebookMl.Training.Validation;

namespace NotebookMl.Training.Tests.Validation;

/// <summary>
/// Folds index for index equal to scikit-learn 1.2's (folds_oracle.py under /usr/bin/python3) on generated rows: sizes that
/// do not divide, imbalanced and three-valued labels in any order of appearance, many groups of equal sizes (NumPy's
/// unstable argsort decides their order), string and number groups, time splits with gaps. Cuts the rows cannot take are
/// refused before anything is fitted.
/// </summary>
public sealed class FoldsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("folds-oracle-").FullName;
    private readonly Random _random = new(11);

    [Fact]
    public async Task Every_kind_of_fold_equals_scikit_learns_index_for_index()
    {
        var cases = new List<(JsonObject Case, Fold[] Folds)>();
        void Add(JsonObject spec, Fold[] folds) => cases.Add((spec, folds));
        foreach (var (n, k) in new[] { (10, 2), (11, 3), (23, 5), (100, 10), (7, 7), (1000, 4) })
        {
            Add(new JsonObject { ["kind"] = "kfold", ["k"] = k, ["n"] = n }, Folds.KFold(n, k));
        }

        foreach (var (n, k, classes, skew) in new[] { (50, 2, 2, 0.5), (97, 5, 2, 0.15), (300, 7, 3, 0.3), (41, 3, 3, 0.6), (1000, 5, 2, 0.05) })
        {
            // The first row's class is not the smallest value: classes are numbered by first appearance.
            var y = Enumerable.Range(0, n).Select(i => i == 0 ? classes - 1.0 : _random.NextDouble() < skew ? 0.0 : 1.0 + _random.Next(classes - 1)).ToArray();
            Add(new JsonObject { ["kind"] = "stratified", ["k"] = k, ["n"] = n, ["y"] = Array(y) }, Folds.Stratified(y, k));
        }

        foreach (var (groups, k) in new[] { (12, 3), (30, 4), (40, 5), (200, 7), (17, 17) })
        {
            // Many groups share a size (1 to 4 rows): the order of equals is NumPy's.
            var rows = Enumerable.Range(0, groups).SelectMany(g => Enumerable.Repeat(g, 1 + _random.Next(4))).OrderBy(_ => _random.Next()).ToArray();
            var names = rows.Select(g => $"g{g * 7 % groups:000}").ToArray();
            Add(new JsonObject { ["kind"] = "group", ["k"] = k, ["n"] = rows.Length, ["groups"] = Array(names) }, Folds.Group(names, k, StringComparer.Ordinal));
            var numbers = rows.Select(g => (long)((g * 37) % 101) - 50).ToArray();
            Add(new JsonObject { ["kind"] = "group", ["k"] = k, ["n"] = rows.Length, ["groups"] = Array(numbers) }, Folds.Group(numbers, k, Comparer<long>.Default));
        }

        foreach (var (n, k, gap) in new[] { (12, 3, 0), (100, 5, 3), (101, 4, 10), (1000, 9, 0), (23, 2, 5) })
        {
            Add(new JsonObject { ["kind"] = "time", ["k"] = k, ["n"] = n, ["gap"] = gap }, Folds.TimeSeries(n, k, gap));
        }

        var expected = await OracleAsync(cases.Select(c => c.Case));

        Assert.Equal(cases.Count, expected.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var (spec, folds) = cases[i];
            var sklearn = expected[i]!.AsArray();
            Assert.True(sklearn.Count == folds.Length, $"{spec.ToJsonString()}: {folds.Length} folds, scikit-learn {sklearn.Count}");
            for (var f = 0; f < folds.Length; f++)
            {
                Assert.True(Ints(sklearn[f]![1]!).SequenceEqual(folds[f].Validation), $"{spec["kind"]} case {i} fold {f}: validation differs from scikit-learn's");
                Assert.True(Ints(sklearn[f]![0]!).SequenceEqual(folds[f].Train), $"{spec["kind"]} case {i} fold {f}: training rows differ from scikit-learn's");
            }
        }
    }

    [Fact]
    public async Task NumPys_unstable_argsort_is_reproduced_ties_and_all()
    {
        // Sizes as GroupKFold sees them: few distinct values, many ties, from a handful of rows to thousands.
        var arrays = new[] { 2, 16, 17, 18, 31, 64, 200, 999, 3000 }.SelectMany(n => new[] { 2, 5, 1000 }.Select(distinct => Enumerable.Range(0, n).Select(_ => (long)_random.Next(distinct)).ToArray())).ToArray();
        var cases = arrays.SelectMany(a => new[] { "quicksort", "heapsort" }.Select(kind => new JsonObject { ["kind"] = kind, ["values"] = Array(a) }));

        var expected = await OracleAsync(cases);

        for (var i = 0; i < arrays.Length; i++)
        {
            Assert.True(Ints(expected[2 * i]!).SequenceEqual(NumpyArgsort.Quicksort(arrays[i])), $"quicksort of {arrays[i].Length} values differs from NumPy's");
            Assert.True(Ints(expected[(2 * i) + 1]!).SequenceEqual(NumpyArgsort.Heapsort(arrays[i])), $"heapsort of {arrays[i].Length} values differs from NumPy's");
        }
    }

    [Fact]
    public void A_time_gap_given_as_a_span_drops_the_training_rows_within_it_of_each_block()
    {
        var start = new DateTime(2001, 1, 1);
        var times = Enumerable.Range(0, 24).Select(h => start.AddHours(h)).ToArray();

        var folds = Folds.TimeSeries(times, 3, TimeSpan.FromHours(2));

        // Blocks of 6 rows at 6, 12 and 18; a fold trains on the rows at least 2 hours before its block's first.
        Assert.Equal([[0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [.. Enumerable.Range(0, 17)]], folds.Select(f => f.Train));
        Assert.Equal([6, 12, 18], folds.Select(f => f.Validation[0]));
    }

    [Theory]
    [InlineData("stratified", "Cv", "the label value 1 has 3 training rows, fewer than the 5 folds; use fewer folds.")]
    [InlineData("group", "GroupColumn", "5 folds need at least 5 groups; the training rows have 4.")]
    [InlineData("time", "Cv", "5 time folds with a gap of 0 rows need more than 6 training rows; there are 5.")]
    [InlineData("kfold", "Cv", "5 folds need at least 5 training rows; there are 4.")]
    public void A_cut_the_rows_cannot_take_is_refused_naming_the_option(string kind, string option, string message)
    {
        Action cut = kind switch
        {
            "stratified" => () => Folds.Stratified([0, 0, 0, 0, 0, 0, 1, 1, 1], 5),
            "group" => () => Folds.Group(["a", "b", "c", "d", "a"], 5, StringComparer.Ordinal),
            "time" => () => Folds.TimeSeries(5, 5, 0),
            _ => () => Folds.KFold(4, 5),
        };

        var error = Assert.Throws<InvalidOptionException>(cut);

        Assert.Equal((option, message), (error.Option, error.Reason));
    }

    [Theory]
    [InlineData("5", CvKind.KFold, 5)]
    [InlineData("stratified:5", CvKind.Stratified, 5)]
    [InlineData("group:3", CvKind.Group, 3)]
    [InlineData("time:4", CvKind.Time, 4)]
    public void A_cross_validation_reads_as_written(string text, CvKind kind, int folds) =>
        Assert.Equal(new CrossValidation(kind, folds), CrossValidation.Parse(text, "Cv"));

    [Theory]
    [InlineData("1", "expected a number of folds of at least 2, got '1'.")]
    [InlineData("loo:5", "'loo' is not a kind of cross-validation; expected K, kfold:K, stratified:K, group:K or time:K.")]
    public void A_bad_cross_validation_is_refused(string text, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidOptionException>(() => CrossValidation.Parse(text, "Cv")).Reason);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonArray Array<T>(IEnumerable<T> values) => new(values.Select(v => JsonValue.Create(v)).ToArray<JsonNode?>());

    private static IEnumerable<int> Ints(JsonNode node) => node.AsArray().Select(v => v!.GetValue<int>());

    private async Task<JsonArray> OracleAsync(IEnumerable<JsonObject> cases)
    {
        var (input, output) = (Path.Combine(_folder, "cases.json"), Path.Combine(_folder, "folds.json"));
        await File.WriteAllTextAsync(input, new JsonArray(cases.Select(c => (JsonNode?)c.DeepClone()).ToArray()).ToJsonString());
        var run = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [RepoPaths.Of("tests", "NotebookMl.Training.Tests", "Validation", "folds_oracle.py"), input, output], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsArray();
    }
}
