using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Registry;

/// <summary><c>notebookml models</c>: versions from a tracked run and from a file, aliases and their history, one-line errors.</summary>
public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-models-cli-").FullName;

    [Fact]
    public async Task A_run_is_registered_aliased_shown_by_uri_and_its_history_kept()
    {
        var runId = await new RegistryCli(_folder).TrainAsync();

        var fromRun = await RunAsync("models", "register", "flights", "--run", $"runs:/{runId}/model", "--description", "late flights", "--json");
        var fromFile = await RunAsync("models", "register", "flights", "--onnx", "late.onnx", "--json");
        var alias = await RunAsync("models", "alias", "flights", "champion", "1", "--reason", "first model", "--json");
        var moved = await RunAsync("models", "alias", "flights", "champion", "2", "--reason", "same model from a file");
        var shown = await RunAsync("models", "show", "models:/flights@champion", "--json");
        var first = await RunAsync("models", "show", "flights/1", "--json");
        var history = await RunAsync("models", "history", "flights", "--json");
        var list = await RunAsync("models", "list", "--json");

        foreach (var result in new[] { fromRun, fromFile, alias, moved, shown, first, history, list })
        {
            Assert.True(result.ExitCode == 0, result.Output);
        }

        Assert.Equal(("flights", 1), (Json(fromRun)["name"]!.GetValue<string>(), Json(fromRun)["version"]!.GetValue<int>()));
        Assert.Equal(2, Json(fromFile)["version"]!.GetValue<int>());
        Assert.Equal(2, Json(shown)["version"]!.GetValue<int>());
        Assert.Equal(["champion"], Json(shown)["aliases"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(runId, Json(first)["run_id"]!.GetValue<string>());
        Assert.InRange(Json(first)["metrics"]!["test_auc"]!.GetValue<double>(), 0.5, 1);
        Assert.Equal(Json(first)["onnx_sha256"]!.GetValue<string>(), Json(shown)["onnx_sha256"]!.GetValue<string>());
        var changes = Json(history).AsArray();
        Assert.Equal([(null, 1), (1, 2)], changes.Select(c => ((int?)c!["from_version"], (int?)c["to_version"])));
        Assert.Equal(["first model", "same model from a file"], changes.Select(c => (string?)c!["reason"]));
        Assert.All(changes, c => Assert.Contains("@", (string)c!["who"]!));
        Assert.Equal("flights", Json(list).AsArray().Single()!["name"]!.GetValue<string>());

        // The champion as a Triton / KServe model repository: its config read back, its model byte for byte.
        var export = await RunAsync("models", "export", "flights@champion", "--format", "triton", "--out", "repository");
        Assert.True(export.ExitCode == 0, export.Output);
        var config = File.ReadAllText(Path.Combine(_folder, "repository", "flights", "config.pbtxt"));
        Assert.Matches("^name: \"flights\"\nplatform: \"onnxruntime_onnx\"\n", config);
        var tensors = Regex.Matches(config, "name: \"(?<name>[^\"]+)\"\n    data_type: (?<type>TYPE_\\w+)\n    dims: \\[ (?<dims>[^\\]]*) \\]")
            .ToDictionary(m => m.Groups["name"].Value, m => (m.Groups["type"].Value, m.Groups["dims"].Value));
        Assert.Equal(("TYPE_FP32", "-1, 1"), tensors["distance"]);
        Assert.Equal(("TYPE_STRING", "-1, 1"), tensors["origin"]);
        Assert.Equal(("TYPE_FP32", "-1, 1"), tensors["probability"]);
        Assert.Equal(("TYPE_INT64", "-1, 1"), tensors["label"]);
        Assert.Contains("version_policy: { specific: { versions: [ 2 ] } }", config);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, "late.onnx")), File.ReadAllBytes(Path.Combine(_folder, "repository", "flights", "2", "model.onnx")));
    }

    [Theory]
    [InlineData(new[] { "models", "show", "flights" }, "notebookml: no registered model 'flights'; models: none.")]
    [InlineData(new[] { "models", "show", "models:/flights" }, "notebookml: 'models:/flights' is not a model URI; expected models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN_ID/model.")]
    [InlineData(new[] { "models", "register", "flights" }, "notebookml: give either --run RUN_ID or --onnx FILE.")]
    [InlineData(new[] { "models", "register", "flights", "--onnx", "missing.onnx" }, "missing.onnx does not exist.")]
    public Task Bad_input_is_one_line_with_exit_code_2(string[] arguments, string expected) => new RegistryCli(_folder).AssertBadInputAsync(arguments, expected);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static JsonNode Json(ProcessResult result) => RegistryCli.Json(result);

    private Task<ProcessResult> RunAsync(params string[] arguments) => new RegistryCli(_folder).RunAsync(arguments);
}
