using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Training;

/// <summary><c>notebookml train</c> and <c>#!train</c> on the committed flights data: tracked, exported, checked.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private const string Query = "SELECT distance, origin, destination, hour(date) AS hour, dayofweek(date) AS weekday, delay > 15 AS late, date FROM source WHERE date < '2001-01-15'";
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-train-cli-").FullName;

    [Fact]
    public async Task The_cli_trains_tracks_and_exports_a_model_and_bad_input_is_one_line_with_exit_code_2()
    {
        var data = RepoPaths.Of("datasets", "flights-3m.parquet");

        var train = await RunAsync("train", "--data", data, "--query", Query, "--label", "late", "--split", "time", "--time-column", "date", "--trees", "20", "--threads", "2", "--onnx", "late.onnx", "--json");
        var runs = await RunAsync("runs", "list", "--json");
        var badLabel = await RunAsync("train", "--data", data, "--label", "nope");
        var both = await RunAsync("train", "--label", "late");

        Assert.True(train.ExitCode == 0, train.Output);
        var result = JsonNode.Parse(train.StandardOutput[train.StandardOutput.IndexOf('{')..])!;
        Assert.InRange(result["metrics"]!["auc"]!.GetValue<double>(), 0.55, 1);
        Assert.True(File.Exists(Path.Combine(_folder, "late.onnx")));
        Assert.Contains(result["run_id"]!.GetValue<string>(), runs.StandardOutput);
        Assert.Equal((2, "notebookml: --label: no column 'nope'; columns: date, delay, distance, origin, destination.\n"), (badLabel.ExitCode, badLabel.StandardError));
        Assert.Equal((2, "notebookml: train: give either --data FILE or --entities FILE with --features VIEW:FEATURE,….\n"), (both.ExitCode, both.StandardError));
    }

    [Fact]
    public async Task The_magic_command_trains_in_a_notebook()
    {
        var notebook = Path.Combine(_folder, "train.ipynb");
        TestNotebook.Write(notebook, $"#!train --data {RepoPaths.Of("datasets", "flights-3m.parquet")} --query \"{Query}\" --label late --model fasttree --trees 10 --threads 2 --experiment notebook");

        var run = await RunAsync("run", notebook);

        Assert.True(run.ExitCode == 0, run.Output);
        var html = File.ReadAllText(Path.Combine(_folder, "train.out.ipynb"));
        Assert.Contains("fasttree binary", html);
        Assert.Contains("Feature importance", html);
        Assert.Contains("notebookml-progress", html);
        Assert.Contains("valid_auc", html);
        Assert.Contains("Precision-recall curve", html);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") }, _folder);
}
