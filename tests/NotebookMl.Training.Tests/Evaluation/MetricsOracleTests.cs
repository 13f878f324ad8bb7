using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Testing;
using NotebookMl.Core.Evaluation;

namespace NotebookMl.Training.Tests.Evaluation;

/// <summary>
/// Every figure a model is compared and promoted on, computed by NotebookMl and by scikit-learn
/// (Debian's python3-sklearn, metrics_oracle.py) from the same fixed predictions: equal to 1e-9.
/// The predictions have tied scores, scores of exactly 0, 0.5 and 1, and classes never seen.
/// </summary>
public sealed class MetricsOracleTests : IDisposable
{
    private const double Tolerance = 1e-9;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("notebookml-metrics-");

    [Fact]
    public async Task Binary_metrics_with_tied_and_extreme_scores_equal_scikit_learn()
    {
        var random = new Random(12);
        var label = new List<bool>();
        var probability = new List<float>();
        for (var i = 0; i < 3000; i++)
        {
            // Scores on a 0.02 grid: hundreds of ties, each spanning both classes.
            var score = (float)(random.Next(0, 51) / 50.0);
            probability.Add(score);
            label.Add(random.NextDouble() < 0.15 + (0.7 * score));
        }

        probability.AddRange([0f, 1f, 0.5f, 0.5f, 1f]);
        label.AddRange([false, true, true, false, false]);

        var ours = BinaryMetrics.Of(label, probability);
        var oracle = await OracleAsync("binary", new { label, probability = probability.Select(p => (double)p) });

        AssertClose(oracle, "auc", ours.Auc);
        AssertClose(oracle, "pr_auc", ours.PrAuc);
        AssertClose(oracle, "log_loss", ours.LogLoss);
        AssertClose(oracle, "accuracy", ours.Accuracy);
        AssertClose(oracle, "f1", ours.F1);
        Assert.Equal(Longs(oracle["confusion"]!), new[] { ours.TruePositives, ours.FalsePositives, ours.TrueNegatives, ours.FalseNegatives });
        Assert.InRange(ours.Auc, 0.7, 0.95);
    }

    [Fact]
    public async Task Every_score_tied_gives_auc_one_half_and_the_base_rate_as_average_precision()
    {
        bool[] label = [true, false, false, true, false, false, false, true];
        var probability = Enumerable.Repeat(0.3f, label.Length).ToArray();

        var ours = BinaryMetrics.Of(label, probability);
        var oracle = await OracleAsync("binary", new { label, probability = probability.Select(p => (double)p) });

        Assert.Equal(0.5, ours.Auc, Tolerance);
        Assert.Equal(3 / 8.0, ours.PrAuc, Tolerance);
        AssertClose(oracle, "auc", ours.Auc);
        AssertClose(oracle, "pr_auc", ours.PrAuc);
        AssertClose(oracle, "log_loss", ours.LogLoss);
        AssertClose(oracle, "f1", ours.F1);
    }

    [Fact]
    public async Task Regression_metrics_equal_scikit_learn()
    {
        var random = new Random(3);
        var label = Enumerable.Range(0, 2000).Select(_ => Math.Round((random.NextDouble() * 200) - 40, 1)).ToList();
        var prediction = label.Select(y => (float)(y + (random.NextDouble() * 30) - 12)).ToList();

        var ours = RegressionMetrics.Of(label, prediction);
        var oracle = await OracleAsync("regression", new { label, prediction = prediction.Select(p => (double)p) });

        AssertClose(oracle, "rmse", ours.Rmse);
        AssertClose(oracle, "mae", ours.Mae);
        AssertClose(oracle, "r2", ours.R2);
        Assert.InRange(ours.R2, 0.5, 0.99);
    }

    [Fact]
    public async Task Multiclass_accuracy_f1_log_loss_and_confusion_equal_scikit_learn()
    {
        const int classes = 10;
        var random = new Random(5);
        var labels = new List<byte>();
        var probabilities = new List<float>();
        for (var row = 0; row < 1500; row++)
        {
            // Class 9 is never true and never predicted: macro F1 averages over the classes that occur.
            var truth = (byte)random.Next(0, classes - 1);
            var scores = Enumerable.Range(0, classes).Select(c => c == classes - 1 ? 0f : (float)random.NextDouble() + (c == truth ? 0.4f : 0f)).ToArray();
            if (row % 50 == 0)
            {
                // Two classes tied for the top score: the first one wins, as numpy's argmax.
                scores[(truth + 1) % (classes - 1)] = scores.Max();
            }

            if (row % 97 == 0)
            {
                // The true class at probability 0: clipped, not infinite.
                scores[truth] = 0f;
            }

            var sum = scores.Sum();
            labels.Add(truth);
            probabilities.AddRange(scores.Select(s => s / sum));
        }

        var ours = MulticlassMetrics.Of(labels, probabilities.ToArray(), classes);
        var rows = probabilities.Chunk(classes).Select(r => r.Select(p => (double)p).ToArray());
        var oracle = await OracleAsync("multiclass", new { label = labels.Select(l => (int)l), probabilities = rows, classes });

        AssertClose(oracle, "accuracy", ours.Accuracy);
        AssertClose(oracle, "macro_f1", ours.MacroF1);
        AssertClose(oracle, "micro_f1", ours.MicroF1);
        AssertClose(oracle, "log_loss", ours.LogLoss);
        var confusion = oracle["confusion"]!.AsArray();
        for (var truth = 0; truth < classes; truth++)
        {
            Assert.Equal(Longs(confusion[truth]!), Enumerable.Range(0, classes).Select(c => ours.Confusion[truth, c]).ToArray());
        }

        Assert.InRange(ours.Accuracy, 0.2, 0.9);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static void AssertClose(JsonNode oracle, string name, double ours)
    {
        var expected = oracle[name]!.GetValue<double>();
        Assert.True(Math.Abs(expected - ours) <= Tolerance, $"{name}: scikit-learn {expected:R}, NotebookMl {ours:R}");
    }

    private static long[] Longs(JsonNode array) => array.AsArray().Select(v => v!.GetValue<long>()).ToArray();

    private async Task<JsonNode> OracleAsync(string kind, object input)
    {
        var inputPath = Path.Combine(_folder.FullName, $"{kind}.json");
        var outputPath = Path.Combine(_folder.FullName, $"{kind}.out.json");
        await File.WriteAllTextAsync(inputPath, JsonSerializer.Serialize(new Dictionary<string, object> { [kind] = input }));
        var run = await ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            [RepoPaths.Of("tests", "NotebookMl.Training.Tests", "Evaluation", "metrics_oracle.py"), inputPath, outputPath],
            TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(await File.ReadAllTextAsync(outputPath))![kind]!;
    }
}
