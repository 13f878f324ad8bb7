using System.Text.Json.Nodes;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;
using NotebookMl.Training.Tabular;
using NotebookMl.Training.Validation;

namespace NotebookMl.Training.Tests.Validation;

/// <summary>
/// Cross-validation in a training run: the folds cut the training rows only, each validated once; the run's fold_*,
/// cv_* and cv_*_std metrics equal scikit-learn's metrics of its own out-of-fold predictions artifact
/// (cv_metrics_oracle.py under /usr/bin/python3); a cut the data cannot take is refused before a run starts.
/// </summary>
public sealed class CrossValidationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-cv-").FullName;

    private WorkspaceLocation Workspace => new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")).EnsureCreated();

    [Theory]
    [InlineData("stratified:5", null, true)]
    [InlineData("group:4", "origin", true)]
    [InlineData("time:3", null, false)]
    [InlineData("kfold:3", null, false)]
    public async Task The_runs_cross_validation_metrics_are_scikit_learns_on_its_out_of_fold_predictions(string cv, string? groups, bool binary)
    {
        var tracker = Tracker.Open(Workspace);
        var options = new TrainingOptions
        {
            Label = binary ? "late" : "delay_minutes", Exclude = [binary ? "delay_minutes" : "late"], Tree = new TreeOptions { Trees = 10 }, Threads = 2, Experiment = "cv",
            Cv = CrossValidation.Parse(cv, "Cv"), GroupColumn = groups, TimeColumn = cv.StartsWith("time", StringComparison.Ordinal) ? "date" : null,
            Gap = cv.StartsWith("time", StringComparison.Ordinal) ? new CvGap(50, null) : null,
        };

        var trained = TabularTrainer.Train(FlightRows.Load(4000), options, tracker: tracker);

        var run = tracker.GetRun(trained.RunId!);
        var artifact = Path.Combine(_folder, "oof.parquet");
        await File.WriteAllBytesAsync(artifact, tracker.ReadArtifact(trained.RunId!, CrossValidationResult.PredictionsArtifact));
        // Debian's Python has no Parquet reader: the oracle gets the artifact's rows as CSV, every double to the last bit.
        var csv = Path.Combine(_folder, "oof.csv");
        Microsoft.Data.Analysis.DataFrame.SaveCsv(Core.Data.DataFiles.Read(artifact), csv, cultureInfo: System.Globalization.CultureInfo.InvariantCulture);
        var oracle = await OracleAsync(csv);
        var k = options.Cv!.Folds;
        Assert.Equal(cv, run.Summary.Params["cv"]);
        foreach (var (metric, expected) in oracle["mean"]!.AsObject())
        {
            Assert.Equal(expected!.GetValue<double>(), run.Summary.Metrics[$"cv_{metric}"], 1e-9);
            Assert.Equal(oracle["std"]![metric]!.GetValue<double>(), run.Summary.Metrics[$"cv_{metric}_std"], 1e-9);
            var history = tracker.MetricHistory(trained.RunId!, $"fold_{metric}");
            Assert.Equal(Enumerable.Range(0, k).Select(f => (long)f), history.Select(p => p.Step));
            Assert.Equal(oracle["folds"]!.AsArray().Select(f => f![metric]!.GetValue<double>()), history.Select(p => p.Value), new Tolerance(1e-9));
        }

        // Only training rows are validated, each at most once (every one but a time split's first block, exactly once).
        var rows = oracle["rows"]!.AsArray().Select(r => r!.GetValue<long>()).ToArray();
        Assert.Equal(rows.Length, rows.Distinct().Count());
        Assert.Equal(trained.CrossValidation!.FoldMetrics.Count, k);
        Assert.Equal(trained.Rows.Train, cv.StartsWith("time", StringComparison.Ordinal) ? rows.Length + (trained.Rows.Train - (trained.Rows.Train / (k + 1) * k)) : rows.Length);
    }

    [Fact]
    public void A_cut_the_data_cannot_take_is_refused_before_a_run_starts()
    {
        var tracker = Tracker.Open(Workspace);
        var options = new TrainingOptions { Label = "late", Exclude = ["delay_minutes"], Tree = new TreeOptions { Trees = 2 }, Threads = 2, Experiment = "cv", Cv = new CrossValidation(CvKind.Group, 500), GroupColumn = "origin" };

        var error = Assert.Throws<Core.Options.InvalidOptionException>(() => TabularTrainer.Train(FlightRows.Load(2000), options, tracker: tracker));

        Assert.Equal("GroupColumn", error.Option);
        Assert.StartsWith("500 folds need at least 500 groups; the training rows have ", error.Reason, StringComparison.Ordinal);
        Assert.Empty(tracker.ListRuns());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<JsonNode> OracleAsync(string predictions)
    {
        var output = Path.Combine(_folder, "metrics.json");
        var run = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [RepoPaths.Of("tests", "NotebookMl.Training.Tests", "Validation", "cv_metrics_oracle.py"), predictions, output], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(await File.ReadAllTextAsync(output))!;
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
