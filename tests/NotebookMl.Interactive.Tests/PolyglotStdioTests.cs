using System.Text.Json.Nodes;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Interactive.Tests;

/// <summary>
/// NotebookMl.Interactive in the real dotnet-interactive over stdio, as VS Code Polyglot Notebooks
/// drives it: the package loads from artifacts/packages, and its verbs answer as in the notebookml kernel.
/// </summary>
public sealed class PolyglotStdioTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-polyglot-").FullName;
    private StdioHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = new StdioHost(_folder, new Dictionary<string, string> { ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") });
        var loaded = await _host.SubmitAsync(StdioHost.LoadCode);
        Assert.True(Succeeded(loaded), Describe(loaded));
        Assert.Contains(PlainTexts(loaded), t => t.StartsWith("NotebookMl 0.1.0 loaded into the 'csharp' kernel: ", StringComparison.Ordinal) && t.Contains("#!features") && t.Contains("#!runs") && t.Contains("#!train"));
    }

    [Fact]
    public async Task Runs_list_answers_with_the_same_table_as_the_notebookml_kernel()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")));
        foreach (var (name, auc) in new[] { ("middle", 0.71), ("best", 0.78), ("worst", 0.64) })
        {
            using var run = tracker.StartRun("polyglot", name);
            run.LogMetric("test_auc", auc);
        }

        var events = await _host.SubmitAsync("#!runs list -e polyglot --order-by \"metrics.test_auc desc\"");

        Assert.True(Succeeded(events), Describe(events));
        var shown = events.Single(e => (string?)e["eventType"] == "DisplayedValueProduced");
        var values = shown["event"]!["formattedValues"]!.AsArray();
        Assert.Equal(["text/plain", "text/html"], values.Select(v => (string?)v!["mimeType"]));
        Assert.Equal(["best", "middle", "worst"], TextTable.Parse((string)values[0]!["value"]!).Select(r => r["name"]));
        Assert.Contains("<table class=\"notebookml-table\">", (string)values[1]!["value"]!);

        // Cells use NotebookMl's C# API directly, on the same workspace.
        var api = await _host.SubmitAsync("using NotebookMl.Core.Tracking;\nTracker.ForCurrentWorkspace().ListRuns().Select(r => r.Name).OrderBy(n => n).First()");
        Assert.True(Succeeded(api), Describe(api));
        var returned = api.Single(e => (string?)e["eventType"] == "ReturnValueProduced")["event"]!["formattedValues"]!.AsArray();
        Assert.Contains(returned, v => (string?)v!["mimeType"] == "text/plain" && (string?)v["value"] == "best");

        // LiveProgress from a cell's own code draws the progress display here too.
        var live = await _host.SubmitAsync("var progress = NotebookMl.Extensions.Ml.Training.LiveProgress.Show(\"by hand\");\nprogress.Report(new NotebookMl.Training.Tabular.TrainingProgress(\"training\", 0.5, \"valid_auc\", 1, 0.7));\nprogress.Report(new NotebookMl.Training.Tabular.TrainingProgress(\"done\", 1, \"valid_auc\", 2, 0.8));");
        Assert.True(Succeeded(live), Describe(live));
        var html = live.Where(e => (string?)e["eventType"] is "DisplayedValueProduced" or "DisplayedValueUpdated")
            .SelectMany(e => e["event"]!["formattedValues"]!.AsArray()).Where(v => (string?)v!["mimeType"] == "text/html").Select(v => (string)v!["value"]!).ToArray();
        Assert.Contains(html, h => h.Contains("<b>by hand</b>", StringComparison.Ordinal) && h.Contains("<progress value=\"1\"", StringComparison.Ordinal) && h.Contains("<svg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_verb_gives_the_same_json_in_the_cli_the_notebookml_kernel_and_dotnet_interactive()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")));
        foreach (var (name, auc) in new[] { ("a", 0.61), ("b", 0.72) })
        {
            using var run = tracker.StartRun("same-json", name);
            run.LogParam("leaves", 31).LogMetric("test_auc", auc);
        }

        const string verb = "runs list -e same-json --order-by \"metrics.test_auc desc\"";
        var environment = new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") };
        var cli = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["runs", "list", "-e", "same-json", "--order-by", "metrics.test_auc desc", "--json"], TimeSpan.FromMinutes(2), environment, _folder);
        var notebook = Path.Combine(_folder, "json.ipynb");
        File.WriteAllText(notebook, TestNotebook.Json([($"#!{verb} --json", [])]));
        var kernelRun = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["run", notebook], TimeSpan.FromMinutes(2), environment, _folder);
        var dotnet = await _host.SubmitAsync($"#!{verb} --json");

        Assert.True(cli.ExitCode == 0, cli.Output);
        Assert.True(kernelRun.ExitCode == 0, kernelRun.Output);
        Assert.True(Succeeded(dotnet), Describe(dotnet));
        var fromKernel = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "json.out.ipynb")))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]!.AsArray()).Select(o => o!["data"]!).Single();
        var fromDotnet = dotnet.Single(e => (string?)e["eventType"] == "DisplayedValueProduced")["event"]!["formattedValues"]!.AsArray();
        Assert.Equal(cli.StandardOutput.Trim(), Text(fromKernel["text/plain"]).Trim());
        Assert.Equal(cli.StandardOutput.Trim(), ((string)fromDotnet.Single(v => (string?)v!["mimeType"] == "text/plain")!["value"]!).Trim());
        Assert.Equal(cli.StandardOutput.Trim(), ((string)fromDotnet.Single(v => (string?)v!["mimeType"] == "application/json")!["value"]!).Trim());
        Assert.Equal(["b", "a"], JsonNode.Parse(cli.StandardOutput)!.AsArray().Select(r => (string?)r!["name"]));
    }

    [Fact]
    public async Task Profile_reads_a_dataframe_variable_of_the_csharp_kernel()
    {
        var defined = await _host.SubmitAsync("var frame = new Microsoft.Data.Analysis.DataFrame(new Microsoft.Data.Analysis.DoubleDataFrameColumn(\"delay\", new double[] { 1, 2, 3, 40 }));");
        var profiled = await _host.SubmitAsync("#!profile frame");
        var missing = await _host.SubmitAsync("#!profile nosuch");

        Assert.True(Succeeded(defined), Describe(defined));
        Assert.True(Succeeded(profiled), Describe(profiled));
        Assert.Contains(PlainTexts(profiled), t => t.Contains("delay", StringComparison.Ordinal) && t.Contains("4", StringComparison.Ordinal));
        Assert.False(Succeeded(missing));
        Assert.Contains("nor a DataFrame variable", (string)missing[^1]["event"]!["message"]!);
    }

    [Fact]
    public async Task Registry_verbs_with_several_arguments_nested_subcommands_and_repeated_options_run_here_too()
    {
        var registry = NotebookMl.Core.Registry.ModelRegistry.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")));
        foreach (var auc in new[] { 0.70, 0.71 })
        {
            registry.Register("delays", new NotebookMl.Core.Registry.ModelRegistration([1, 2, 3]) { Metrics = new Dictionary<string, double> { ["test_auc"] = auc } });
        }

        var alias = await _host.SubmitAsync("#!models alias delays champion 1 --reason \"first model\"");
        var hooks = await _host.SubmitAsync("#!models webhook list");
        var promote = await _host.SubmitAsync("#!models promote delays/2 --to champion --require \"test_auc>=champion\" --require \"test_auc>=0.5\"");
        var shown = await _host.SubmitAsync("#!models show models:/delays@champion --json");

        Assert.True(Succeeded(alias), Describe(alias));
        Assert.Contains(PlainTexts(alias), t => t.Contains("first model", StringComparison.Ordinal));
        Assert.True(Succeeded(hooks), Describe(hooks));
        Assert.Contains(PlainTexts(hooks), t => t.StartsWith("No webhooks", StringComparison.Ordinal));
        // The artifact is not an ONNX model with a recorded sample: the ONNX gate fails, the metric gates pass, the alias stays.
        Assert.False(Succeeded(promote));
        var gates = TextTable.Parse(PlainTexts(promote).Single(), "gate");
        Assert.Equal(["test_auc>=champion", "test_auc>=0.5", "onnx reproduces recorded predictions (1e-4)"], gates.Select(g => g["gate"]));
        Assert.Equal(["passed", "passed", "FAILED"], gates.Select(g => g["result"]));
        Assert.Equal("#!models failed (exit code 1).", (string?)promote[^1]["event"]!["message"]);
        Assert.True(Succeeded(shown), Describe(shown));
        Assert.Contains(PlainTexts(shown), t => t.Contains("\"version\": 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_verbs_in_one_cell_run_in_order_and_a_bad_option_is_one_line()
    {
        File.WriteAllText(Path.Combine(_folder, "delays.csv"), "origin,date,delay\nSEA,2001-01-02T10:00:00,5.5\n");
        File.WriteAllText(Path.Combine(_folder, "defs.yaml"), "entities:\n  airport: {join_keys: [origin]}\nfeature_views:\n  delays:\n    entities: [airport]\n    source: delays.csv\n    timestamp: date\n    features: {delay: double}\n");

        var both = await _host.SubmitAsync($"#!features apply {Path.Combine(_folder, "defs.yaml")}\n#!features list");
        var bad = await _host.SubmitAsync("#!runs list --limit many");

        Assert.True(Succeeded(both), Describe(both));
        var texts = PlainTexts(both).ToArray();
        Assert.Equal(2, texts.Length);
        Assert.StartsWith("Applied", texts[0]);
        Assert.Contains("delays", texts[1]);
        Assert.False(Succeeded(bad));
        var message = (string)bad[^1]["event"]!["message"]!;
        Assert.StartsWith("#!runs: ", message);
        Assert.Single(message.Trim().Split('\n'));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Text(JsonNode? node) => node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    private static bool Succeeded(IReadOnlyList<JsonObject> events) => (string?)events[^1]["eventType"] == "CommandSucceeded";

    private static IEnumerable<string> PlainTexts(IReadOnlyList<JsonObject> events) =>
        events.Where(e => (string?)e["eventType"] == "DisplayedValueProduced")
            .SelectMany(e => e["event"]!["formattedValues"]!.AsArray())
            .Where(v => (string?)v!["mimeType"] == "text/plain")
            .Select(v => (string)v!["value"]!);

    private static string Describe(IReadOnlyList<JsonObject> events) =>
        string.Join("\n", events.Select(e => $"{e["eventType"]}: {e["event"]?.ToJsonString()[..Math.Min(400, e["event"]!.ToJsonString().Length)]}"));
}
