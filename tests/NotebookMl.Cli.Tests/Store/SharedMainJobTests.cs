using System.Text.Json.Nodes;
using NotebookMl.Cli.Tests.FreshMachine;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// The README's main job in a throwaway clone whose store is a shared PostgreSQL database and whose artifacts go to S3
/// (s3rver), as in CI: the clone is deleted, and a second workspace on the same store lists its runs and shows its model,
/// the champion's history and its bytes.
/// </summary>
public sealed class SharedMainJobTests : IDisposable
{
    private readonly TestStore _store = new(postgres: true, "notebookml-shared-job-");
    private readonly S3Server _s3 = new();

    [Fact]
    public async Task The_main_job_in_a_deleted_clone_is_seen_whole_from_a_second_workspace()
    {
        var clone = Path.Combine(_store.Folder, "clone");
        await WorkingTree.CopyToAsync(clone);

        var main = await Cli(clone, "run", "notebooks/flight-delays.ipynb");
        Assert.True(main.ExitCode == 0, main.Output);
        Directory.Delete(clone, recursive: true);

        var second = Path.Combine(_store.Folder, "second");
        Directory.CreateDirectory(second);
        var runs = await Cli(second, "runs", "list", "--experiment", "flight-delays", "--json");
        var model = await Cli(second, "models", "show", "flight-delays/1", "--json");
        var history = await Cli(second, "models", "history", "flight-delays", "--json");
        var export = await Cli(second, "models", "export", "flight-delays@champion", "--format", "triton", "--out", Path.Combine(second, "repository"));

        Assert.True(runs.ExitCode == 0, runs.Output);
        Assert.Equal(["lightgbm-features", "lightgbm-raw", "mlp-features"], JsonNode.Parse(runs.StandardOutput)!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.True(model.ExitCode == 0, model.Output);
        Assert.Contains("champion", RegistryJson(model)["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(history.ExitCode == 0, history.Output);
        Assert.Contains(JsonNode.Parse(history.StandardOutput)!.AsArray(), c => (string?)c!["alias"] == "champion" && c["to_version"]!.GetValue<int>() == 1);
        // The champion's ONNX bytes come from S3, checked against their digest.
        Assert.True(export.ExitCode == 0, export.Output);
        Assert.True(File.Exists(Path.Combine(second, "repository", "flight-delays", "1", "model.onnx")), export.Output);
    }

    public void Dispose()
    {
        _s3.Dispose();
        _store.Dispose();
    }

    private static JsonNode RegistryJson(ProcessResult result) => JsonNode.Parse(result.StandardOutput[result.StandardOutput.IndexOf('{', StringComparison.Ordinal)..])!;

    private Task<ProcessResult> Cli(string folder, params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(10),
            new Dictionary<string, string>(_s3.Environment)
            {
                ["CI"] = "true",
                ["NOTEBOOKML_STORE"] = _store.Url!,
                ["NOTEBOOKML_ARTIFACTS"] = _s3.Url("team"),
            },
            folder, removeVariables: ["NOTEBOOKML_HOME"]);
}
