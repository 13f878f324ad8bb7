using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// <c>notebookml store copy</c> between an embedded workspace and a shared one (PostgreSQL + s3rver), both ways: killed
/// halfway and run again it finishes; run once more it copies nothing; counts and digests agree on both sides.
/// </summary>
public sealed class StoreCopyCommandTests : IDisposable
{
    private readonly TestStore _shared = new(postgres: true, "notebookml-copy-");
    private readonly S3Server _s3 = new();

    [Fact]
    public async Task A_local_workspace_copied_to_a_shared_one_killed_halfway_resumes_and_copies_back_unchanged()
    {
        var local = Path.Combine(_shared.Folder, "local");
        var workspace = WorkspaceLocation.At(local);
        Directory.CreateDirectory(local);
        using (var run = Tracker.Open(workspace).StartRun("flight-delays", "big"))
        {
            for (var step = 0; step < 200_000; step++)
            {
                run.LogMetric("loss", 1.0 / (step + 1), step);
            }

            run.LogParam("trees", 200).LogText("importance", "importance.txt");
        }

        var registry = ModelRegistry.Open(workspace);
        for (var i = 0; i < 3; i++)
        {
            registry.Register("delays", new ModelRegistration([(byte)i, 1, 2, 3]));
        }

        registry.SetAlias("delays", "champion", 2, "better");
        // Late labels: a monitoring file beside the store, which travels with it.
        var labels = Path.Combine(_shared.Folder, "labels.csv");
        File.WriteAllLines(labels, ["request_id,label", "r1,1", "r2,0"]);
        FeedbackLabels.Save(workspace, "delays", labels, DateTimeOffset.UtcNow);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string[] up = ["store", "copy", "--from", Path.Combine(local, ".notebookml"), "--to", _shared.Url!, "--artifacts", _s3.Url("team"), "--json"];

        // Killed once it is copying rows: what committed stays, the rest comes with the next run.
        var (first, lines) = Start(up);
        using (first)
        {
            var clock = Stopwatch.StartNew();
            bool Copying()
            {
                lock (lines)
                {
                    return lines.Any(l => l.Contains("copying metrics", StringComparison.Ordinal));
                }
            }

            while (!Copying())
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2) && !first.Process.HasExited, "store copy ended before it copied metrics: " + string.Join("\n", lines));
                await Task.Delay(5);
            }

            first.Process.Kill(entireProcessTree: true);
        }

        var resumed = await Cli(up);
        var again = await Cli(up);
        var back = Path.Combine(_shared.Folder, "back");
        var down = await Cli("store", "copy", "--from", _shared.Url!, "--from-artifacts", _s3.Url("team"), "--to", back, "--json");

        foreach (var result in new[] { resumed, again, down })
        {
            Assert.True(result.ExitCode == 0, result.Output);
            var report = Json(result);
            Assert.All(report["tables"]!.AsArray(), t => Assert.True((bool)t!["same"]!, t!.ToJsonString()));
            Assert.Equal(200_000, Table(report, "metrics")["destination_rows"]!.GetValue<long>());
            Assert.Equal(3, Table(report, "model_versions")["destination_rows"]!.GetValue<long>());
            Assert.Equal(1, Table(report, "monitoring_files")["destination_rows"]!.GetValue<long>());
        }

        Assert.Equal(0, Json(again)["artifacts"]!["copied"]!.GetValue<long>());
        Assert.Equal(Json(resumed)["artifacts"]!["destination"]!.GetValue<long>(), Json(down)["artifacts"]!["destination"]!.GetValue<long>());
        var copy = ModelRegistry.Open(WorkspaceLocation.At(back));
        var champion = copy.Resolve(ModelUri.Parse("models:/delays@champion"));
        Assert.Equal(new byte[] { 1, 1, 2, 3 }, copy.ReadOnnx(champion));
        var run2 = Assert.Single(Tracker.Open(WorkspaceLocation.At(back)).ListRuns());
        Assert.Equal("importance", System.Text.Encoding.UTF8.GetString(Tracker.Open(WorkspaceLocation.At(back)).ReadArtifact(run2.Id, "importance.txt")));
        Assert.Single(MonitoringFiles.Files(WorkspaceLocation.At(back), MonitoringFiles.Feedback, "delays"));
        Assert.NotNull(FeedbackLabels.Relation(WorkspaceLocation.At(back), "delays"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        _s3.Dispose();
        _shared.Dispose();
    }

    private static JsonNode Json(ProcessResult result) => JsonNode.Parse(result.StandardOutput[result.StandardOutput.IndexOf('{', StringComparison.Ordinal)..])!;

    private static JsonNode Table(JsonNode report, string name) => report["tables"]!.AsArray().Single(t => (string?)t!["table"] == name)!;

    private Task<ProcessResult> Cli(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(5), new Dictionary<string, string>(_s3.Environment) { ["CI"] = "true" }, _shared.Folder);

    private (OwnedProcess Process, List<string> Lines) Start(string[] arguments)
    {
        var info = new ProcessStartInfo(RepoPaths.CliExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _shared.Folder };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _s3.Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["CI"] = "true";
        var lines = new List<string>();
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) => { lock (lines) { if (e.Data is { } line) { lines.Add(line); } } };
        process.OutputDataReceived += (_, e) => { lock (lines) { if (e.Data is { } line) { lines.Add(line); } } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return (new OwnedProcess(process), lines);
    }
}
