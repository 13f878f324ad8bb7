using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Training;

/// <summary>The README's main job, notebooks/flight-delays.ipynb, executed by the runner (smaller parameters than its defaults).</summary>
public sealed class ExampleNotebookTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-example-").FullName;

    [Fact]
    public async Task The_flight_delays_pipeline_runs_from_features_to_a_parity_checked_onnx_model()
    {
        // A copy beside the repository's datasets/ and features/ (the notebook uses ../ paths), in its own workspace.
        var notebooks = Directory.CreateDirectory(Path.Combine(_folder, "notebooks")).FullName;
        File.Copy(RepoPaths.Of("notebooks", "flight-delays.ipynb"), Path.Combine(notebooks, "flight-delays.ipynb"));
        Directory.CreateDirectory(Path.Combine(_folder, "features"));
        File.Copy(RepoPaths.Of("features", "flights.yaml"), Path.Combine(_folder, "features", "flights.yaml"));
        Directory.CreateDirectory(Path.Combine(_folder, "datasets"));
        File.CreateSymbolicLink(Path.Combine(_folder, "datasets", "flights-3m.parquet"), RepoPaths.Of("datasets", "flights-3m.parquet"));

        var run = await ProcessRunner.RunAsync(
            RepoPaths.CliExecutable,
            ["run", Path.Combine(notebooks, "flight-delays.ipynb"), "-p", "sampleEvery", "40", "-p", "trees", "30", "-p", "epochs", "1"],
            TimeSpan.FromMinutes(8),
            new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") },
            _folder);

        Assert.True(run.ExitCode == 0, run.Output);
        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(notebooks, "flight-delays.out.ipynb")))!["cells"]!.AsArray();
        var text = string.Concat(cells.Select(c => c!.ToJsonString()));
        Assert.Contains("AUC gained from the feature-store aggregates", text);
        Assert.Contains("parity checked on", text);
        // Live progress displays (updated in place, with the MLP's loss curve) and the model's report with its charts.
        Assert.Contains("notebookml-progress", text);
        Assert.Contains("train_loss", text);
        Assert.Contains("ROC curve", text);
        Assert.Contains("Feature importance", text);
        Assert.True(new FileInfo(Path.Combine(_folder, "models", "flight-delays.onnx")).Length > 1000);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
