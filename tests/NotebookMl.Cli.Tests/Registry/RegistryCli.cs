using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Registry;

/// <summary>The CLI in one test workspace: runs <c>notebookml</c> there, trains a small tracked model, reads <c>--json</c> output.</summary>
internal sealed class RegistryCli(string folder)
{
    public const string Query = "SELECT distance, origin, hour(date) AS hour, delay > 15 AS late FROM source WHERE date < '2001-01-08'";

    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(folder, ".notebookml") }, folder);

    /// <summary>Trains 5 trees on a week of flights (also written to late.onnx); returns the run's id.</summary>
    public async Task<string> TrainAsync()
    {
        var train = await RunAsync("train", "--data", RepoPaths.Of("datasets", "flights-3m.parquet"), "--query", Query, "--label", "late", "--trees", "5", "--threads", "2", "--onnx", "late.onnx", "--json");
        Assert.True(train.ExitCode == 0, train.Output);
        return Json(train)["run_id"]!.GetValue<string>();
    }

    /// <summary>Runs a command that must fail as bad input: exit code 2 and one line on stderr holding <paramref name="expected"/>.</summary>
    public async Task AssertBadInputAsync(string[] arguments, string expected)
    {
        // The workspace is there: what is bad is the input.
        Directory.CreateDirectory(Path.Combine(folder, ".notebookml"));
        var result = await RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.Single(result.StandardError.Trim().Split('\n'));
    }

    public static JsonNode Json(ProcessResult result) => JsonNode.Parse(result.StandardOutput[Math.Max(0, result.StandardOutput.IndexOfAny(['{', '[']))..])!;
}
