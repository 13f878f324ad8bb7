using System.Text.Json.Nodes;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Tracking;

/// <summary>Tracking from real notebooks run by the real kernel, and the <c>notebookml runs</c> verbs.</summary>
public sealed class RunsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-runs-").FullName;

    private string StateFolder => Path.Combine(_folder, ".notebookml");

    [Fact]
    public async Task Several_processes_log_into_one_workspace_at_once_and_nothing_is_lost()
    {
        var notebook = Notebook("log.ipynb",
            "int worker = 0;",
            """
            using NotebookMl.Core.Tracking;
            using (var run = Tracker.ForCurrentWorkspace().StartRun("concurrent", $"worker-{worker}"))
            {
                for (var p = 0; p < 50; p++) run.LogParam($"p{p}", p * worker);
                for (var i = 0; i < 20000; i++) run.LogMetric("loss", i, i);
                run.LogText($"worker {worker}", "result.txt");
            }
            Console.WriteLine("logged");
            """);
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, StateFolder));

        var notebooks = Enumerable.Range(1, 3).Select(w => RunAsync("run", notebook, "-p", "worker", w.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", Path.Combine(_folder, $"out-{w}.ipynb"))).ToArray();
        using (var run = tracker.StartRun("concurrent", "worker-0"))
        {
            for (var i = 0; i < 20000; i++)
            {
                run.LogMetric("loss", i, i);
            }
        }

        foreach (var result in await Task.WhenAll(notebooks))
        {
            Assert.True(result.ExitCode == 0, result.Output);
        }

        var runs = tracker.ListRuns(new RunQuery { Experiment = "concurrent" });
        Assert.Equal(["worker-0", "worker-1", "worker-2", "worker-3"], runs.Select(r => r.Name).Order());
        Assert.All(runs, r => Assert.Equal(TrackedRunStatus.Finished, r.Status));
        Assert.All(runs, r => Assert.Equal(20000, tracker.MetricHistory(r.Id, "loss").Count));
        Assert.All(runs.Where(r => r.Name != "worker-0"), r => Assert.Equal(50, r.Params.Count));
        var third = runs.Single(r => r.Name == "worker-3");
        Assert.Equal("worker 3", System.Text.Encoding.UTF8.GetString(tracker.ReadArtifact(third.Id, "result.txt")));
        Assert.Equal(new RunSource(Path.Combine(_folder, "log.ipynb"), "[3]"), tracker.GetRun(third.Id).Source);
    }

    [Fact]
    public async Task A_run_whose_kernel_died_is_found_and_marked_killed()
    {
        var notebook = Notebook("dies.ipynb",
            null,
            "var run = NotebookMl.Core.Tracking.Tracker.ForCurrentWorkspace().StartRun(\"crash\", \"doomed\");\nrun.LogMetric(\"loss\", 1.5); run.Flush();",
            "Environment.FailFast(\"the kernel dies\");");

        var result = await RunAsync("run", notebook);
        var listed = await RunAsync("runs", "list", "--experiment", "crash", "--json");

        Assert.Equal(3, result.ExitCode);
        Assert.True(listed.ExitCode == 0, listed.Output);
        var run = JsonNode.Parse(listed.StandardOutput)!.AsArray().Single()!;
        Assert.Equal(("doomed", "KILLED", 1.5), (run["name"]!.GetValue<string>(), run["status"]!.GetValue<string>(), run["metrics"]!["loss"]!.GetValue<double>()));
        Assert.NotNull(run["ended"]!.GetValue<DateTimeOffset?>());
    }

    [Fact]
    public async Task List_filters_and_orders_compare_marks_differences_and_delete_removes_artifacts()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, StateFolder));
        var ids = new List<string>();
        foreach (var (lr, auc) in new[] { (0.1, 0.7), (0.05, 0.9), (0.1, 0.8) })
        {
            using var run = tracker.StartRun("grid", $"lr-{lr}-{auc}");
            run.LogParam("lr", lr).LogParam("depth", 6).LogMetric("auc", auc).LogText($"model {auc}", "model.txt");
            ids.Add(run.Id);
            await Task.Delay(5);
        }

        var listed = await RunAsync("runs", "list", "--filter", "params.lr = '0.1'", "--order-by", "metrics.auc desc", "--json");
        var compared = await RunAsync("runs", "compare", ids[0][..8], ids[1][..8], "--json");
        var text = await RunAsync("runs", "compare", ids[0][..8], ids[1][..8]);
        var artifact = tracker.GetRun(ids[0]).Artifacts.Single();
        var deleted = await RunAsync("runs", "delete", ids[0][..8]);
        var badFilter = await RunAsync("runs", "list", "--filter", "lr is big");
        var sideways = await RunAsync("runs", "list", "-e", "grid", "--order-by", "metrics.auc sideways");
        var misspelt = await RunAsync("runs", "list", "-e", "grid", "--order-by", "metrics.acu desc");
        var quoted = await RunAsync("runs", "list", "-e", "grid", "--order-by", "metrics.`auc` asc", "--json");
        var unknown = await RunAsync("runs", "show", "ffffffff");

        Assert.Equal(["lr-0.1-0.8", "lr-0.1-0.7"], JsonNode.Parse(listed.StandardOutput)!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var comparison = JsonNode.Parse(compared.StandardOutput)!;
        Assert.Equal(["lr"], comparison["differing_params"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(["auc"], comparison["differing_metrics"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(0.9, comparison["metrics"]!["auc"]![ids[1]]!.GetValue<double>());
        Assert.Contains("≠", text.StandardOutput);
        Assert.Equal($"deleted run {ids[0]}\n", deleted.StandardOutput);
        Assert.False(File.Exists(Path.Combine(StateFolder, "artifacts", "sha256", artifact.Sha256[..2], artifact.Sha256[2..])));
        Assert.Equal(2, tracker.ListRuns(new RunQuery { Experiment = "grid" }).Count);
        Assert.Equal((2, 1), (badFilter.ExitCode, badFilter.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.StartsWith("notebookml: --filter: cannot read 'lr is big'", badFilter.StandardError);
        Assert.Equal((2, "notebookml: no run with id 'ffffffff'.\n"), (unknown.ExitCode, unknown.StandardError));
        Assert.Equal((2, "notebookml: --order-by: cannot read 'metrics.auc sideways'; write e.g. 'metrics.auc desc', 'params.lr', 'started asc'.\n"), (sideways.ExitCode, sideways.StandardError));
        Assert.Equal((2, "notebookml: --order-by: no run of 'grid' has metrics.acu; keys: metrics.auc.\n"), (misspelt.ExitCode, misspelt.StandardError));
        Assert.Equal(["lr-0.1-0.8", "lr-0.05-0.9"], JsonNode.Parse(quoted.StandardOutput)!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Notebook(string name, string? parameters, params string[] cells)
    {
        var all = cells.Select(c => (c, Array.Empty<string>()));
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, TestNotebook.Json(parameters is null ? all : all.Prepend((parameters, ["parameters"]))));
        return path;
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = StateFolder }, _folder);
}
