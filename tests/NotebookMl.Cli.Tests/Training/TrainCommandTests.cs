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
        // Options are checked before any data is read (the file does not exist), and named as flags.
        var badFraction = await RunAsync("train", "--data", "no-such-file.parquet", "--label", "late", "--test-fraction", "1.5");
        var badColumn = await RunAsync("train", "--data", data, "--label", "delay", "--columns", "distance,nope", "--trees", "2");

        Assert.True(train.ExitCode == 0, train.Output);
        var result = JsonNode.Parse(train.StandardOutput[train.StandardOutput.IndexOf('{')..])!;
        Assert.InRange(result["metrics"]!["auc"]!.GetValue<double>(), 0.55, 1);
        Assert.True(File.Exists(Path.Combine(_folder, "late.onnx")));
        Assert.Contains(result["run_id"]!.GetValue<string>(), runs.StandardOutput);
        Assert.Equal((2, "notebookml: --label: no column 'nope'; columns: date, delay, distance, origin, destination.\n"), (badLabel.ExitCode, badLabel.StandardError));
        Assert.Equal((2, "notebookml: train: give either --data FILE or --entities FILE with --features VIEW:FEATURE,….\n"), (both.ExitCode, both.StandardError));
        Assert.Equal((2, "notebookml: --test-fraction: expected a number between 0 and 1, got 1.5.\n"), (badFraction.ExitCode, badFraction.StandardError));
        Assert.Equal(2, badColumn.ExitCode);
        Assert.StartsWith("notebookml: --columns: no column 'nope'", badColumn.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }

    [Fact]
    public async Task Training_rows_from_the_feature_store_record_the_feature_views_they_came_from()
    {
        var random = new Random(3);
        var flights = new System.Text.StringBuilder("origin,date,delay\n");
        var entities = new System.Text.StringBuilder("origin,date,distance,late\n");
        for (var i = 0; i < 400; i++)
        {
            var origin = random.Next(2) == 0 ? "SEA" : "SFO";
            var time = new DateTime(2001, 1, 1).AddMinutes(random.Next(0, 60 * 24 * 20));
            flights.Append(System.Globalization.CultureInfo.InvariantCulture, $"{origin},{time:yyyy-MM-ddTHH:mm:ss},{random.Next(-10, 60)}\n");
            entities.Append(System.Globalization.CultureInfo.InvariantCulture, $"{origin},{time.AddMinutes(30):yyyy-MM-ddTHH:mm:ss},{random.Next(100, 2000)},{(random.Next(3) == 0 ? 1 : 0)}\n");
        }

        File.WriteAllText(Path.Combine(_folder, "flights.csv"), flights.ToString());
        File.WriteAllText(Path.Combine(_folder, "entities.csv"), entities.ToString());
        File.WriteAllText(Path.Combine(_folder, "defs.yaml"), """
            entities:
              airport:
                join_keys: [origin]
            feature_views:
              recent:
                entities: [airport]
                source: flights.csv
                timestamp: date
                ttl: 7d
                aggregates:
                  mean_delay_2d: {function: avg, column: delay, window: 2d}
            """);

        var apply = await RunAsync("features", "apply", "defs.yaml");
        var train = await RunAsync("train", "--entities", "entities.csv", "--features", "recent:mean_delay_2d", "--timestamp-column", "date", "--label", "late", "--trees", "5", "--leaves", "4", "--json");

        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.True(train.ExitCode == 0, train.Output);
        var runId = JsonNode.Parse(train.StandardOutput[train.StandardOutput.IndexOf('{')..])!["run_id"]!.GetValue<string>();
        var show = await RunAsync("runs", "show", runId, "--json");
        Assert.Contains("recent:v1", show.StandardOutput);
        Assert.Contains("feature_views/recent", show.StandardOutput);
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
