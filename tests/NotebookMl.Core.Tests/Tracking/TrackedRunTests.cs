using NotebookMl.Core.Tracking;
using NotebookMl.Core.Storage;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Tracking;

/// <summary>Logging into a run: params, metrics, tags, artifacts, inputs, limits, ending.</summary>
public abstract class TrackedRunTests(StoreEngine engine) : IDisposable
{
    private readonly TrackingWorkspace _workspace = new(engine);

    private Tracker Tracker => _workspace.Tracker;

    [Fact]
    public void A_run_records_params_metrics_tags_inputs_and_where_it_ran()
    {
        string id;
        using (var run = Tracker.StartRun("flights", "lightgbm-1", new Dictionary<string, string> { ["team"] = "ml" }))
        {
            id = run.Id;
            run.LogParam("learning_rate", 0.1).LogParam("leaves", 31).LogParam("balanced", true).LogParam("cutoff", new DateTime(2001, 6, 1));
            for (var step = 0; step < 5; step++)
            {
                run.LogMetric("loss", 1.0 / (step + 1), step);
            }

            run.LogMetric("auc", 0.81).LogMetric("odd", double.NaN);
            run.LogInput(new DatasetInput("training", "sha256:abc", "datasets/flights-3m.parquet", "date:timestamp, delay:int", "training"));
        }

        var details = Tracker.GetRun(id[..8]);

        Assert.Equal(("flights", "lightgbm-1", TrackedRunStatus.Finished), (details.Summary.Experiment, details.Summary.Name, details.Summary.Status));
        Assert.Equal(new Dictionary<string, string> { ["balanced"] = "true", ["cutoff"] = "2001-06-01", ["leaves"] = "31", ["learning_rate"] = "0.1" }, details.Summary.Params);
        Assert.Equal(0.2, details.Summary.Metrics["loss"]);
        Assert.True(double.IsNaN(details.Summary.Metrics["odd"]));
        Assert.Equal("ml", details.Summary.Tags["team"]);
        Assert.Equal([1.0, 0.5, 1.0 / 3, 0.25, 0.2], Tracker.MetricHistory(id, "loss").Select(p => p.Value));
        Assert.Equal([0L, 1, 2, 3, 4], Tracker.MetricHistory(id, "loss").Select(p => p.Step));
        Assert.Equal("training", Assert.Single(details.Inputs).Context);
        Assert.Equal(Environment.ProcessId, details.ProcessId);
        Assert.Equal(Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), details.Environment["cpu_count"]);
        Assert.Contains(".NET", details.Environment["dotnet"]);
        Assert.True(details.Environment.ContainsKey("package.NotebookMl.Core"));
        Assert.NotNull(details.Summary.Ended);
    }

    [Fact]
    public async Task A_run_whose_using_block_throws_is_failed_with_the_exception_and_one_that_caught_its_own_is_finished()
    {
        string thrown = "", awaited = "", caught = "";
        Assert.Throws<InvalidOperationException>((Action)(() =>
        {
            using var run = Tracker.StartRun("flights", "throws");
            thrown = run.Id;
            run.LogMetric("auc", 0.7);
            throw new InvalidOperationException("the training set is empty");
        }));
        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            using var run = Tracker.StartRun("flights", "async");
            awaited = run.Id;
            await Task.Yield();
            throw new TimeoutException("the GPU did not answer");
        });
        using (var run = Tracker.StartRun("flights", "caught"))
        {
            caught = run.Id;
            try
            {
                throw new FormatException("a bad row, skipped");
            }
            catch (FormatException)
            {
            }
        }

        var (failed, failedAsync, finished) = (Tracker.GetRun(thrown).Summary, Tracker.GetRun(awaited).Summary, Tracker.GetRun(caught).Summary);
        Assert.Equal((TrackedRunStatus.Failed, "System.InvalidOperationException: the training set is empty"), (failed.Status, failed.Tags["error"]));
        Assert.Equal(0.7, failed.Metrics["auc"]);
        Assert.Equal((TrackedRunStatus.Failed, "System.TimeoutException: the GPU did not answer"), (failedAsync.Status, failedAsync.Tags["error"]));
        Assert.Equal(TrackedRunStatus.Finished, finished.Status);
        Assert.False(finished.Tags.ContainsKey("error"));
    }

    [Fact]
    public void A_run_started_inside_a_git_repository_records_the_commit_and_whether_it_is_dirty()
    {
        var repo = Path.Combine(_workspace.Folder, "repo");
        Directory.CreateDirectory(repo);
        Git(repo, "init", "-q");
        File.WriteAllText(Path.Combine(repo, "a.txt"), "1");
        Git(repo, "add", "a.txt");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one");
        var head = Git(repo, "rev-parse", "HEAD").Trim();
        Tracker.SourceProvider = () => new RunSource(Path.Combine(repo, "train.ipynb"), "[3]");

        using var clean = Tracker.StartRun("git");
        File.WriteAllText(Path.Combine(repo, "a.txt"), "2");
        using var dirty = Tracker.StartRun("git");

        var first = Tracker.GetRun(clean.Id);
        Assert.Equal((head, false), (first.GitCommit, first.GitDirty));
        Assert.Equal(new RunSource(Path.Combine(repo, "train.ipynb"), "[3]"), first.Source);
        Assert.Equal((head, true), (Tracker.GetRun(dirty.Id).GitCommit, Tracker.GetRun(dirty.Id).GitDirty));
    }

    [Fact]
    public void Params_are_write_once_the_same_value_again_is_accepted()
    {
        using var run = Tracker.StartRun("e");
        run.LogParam("lr", 0.1);
        run.LogParam("lr", 0.1);

        var error = Assert.Throws<InvalidOperationException>(() => run.LogParam("lr", 0.2));

        Assert.Equal($"param 'lr' of run {run.Id} is already '0.1'; params are write-once (got '0.2'). Log it under another name or start a new run.", error.Message);
    }

    [Theory]
    [InlineData("", "param name is empty.")]
    [InlineData("a..b/../c", "param name 'a..b/../c': use letters, digits, '_', '-', '.', ' ' and '/' (not '..', not starting or ending with '/').")]
    [InlineData("lr;drop", "param name 'lr;drop': use letters, digits")]
    public void Bad_names_are_refused_with_the_rule(string key, string message)
    {
        using var run = Tracker.StartRun("e");

        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => run.LogParam(key, 1)).Message);
    }

    [Fact]
    public void Values_over_the_limits_are_refused_and_an_ended_run_takes_nothing_more()
    {
        var run = Tracker.StartRun("e");

        Assert.Contains("at most 6000", Assert.Throws<ArgumentException>(() => run.LogParam("p", new string('x', 6001))).Message);
        Assert.Contains("at most 8000", Assert.Throws<ArgumentException>(() => run.SetTag("t", new string('x', 8001))).Message);
        Assert.Contains("at most 250", Assert.Throws<ArgumentException>(() => run.LogMetric(new string('m', 251), 1)).Message);
        Assert.Contains("relative path", Assert.Throws<ArgumentException>(() => run.LogText("x", "../escape.txt")).Message);
        run.Fail(new InvalidOperationException("diverged"));
        Assert.Contains("has ended", Assert.Throws<InvalidOperationException>(() => run.LogMetric("m", 1)).Message);
        var failed = Tracker.GetRun(run.Id).Summary;
        Assert.Equal((TrackedRunStatus.Failed, "System.InvalidOperationException: diverged"), (failed.Status, failed.Tags["error"]));
    }

    [Fact]
    public void Artifacts_are_stored_by_content_checked_on_read_and_removed_with_their_last_run()
    {
        var folder = Path.Combine(_workspace.Folder, "model");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllText(Path.Combine(folder, "model.txt"), "weights");
        File.WriteAllText(Path.Combine(folder, "sub", "notes.txt"), "shared");
        string first, second;
        using (var run = Tracker.StartRun("e"))
        {
            first = run.Id;
            run.LogArtifact(folder).LogText("shared", "copy.txt");
        }

        using (var run = Tracker.StartRun("e"))
        {
            second = run.Id;
            run.LogText("shared", "same-content.txt");
        }

        var artifacts = Tracker.GetRun(first).Artifacts;
        Assert.Equal(["copy.txt", "model/model.txt", "model/sub/notes.txt"], artifacts.Select(a => a.Path));
        Assert.Equal("weights", System.Text.Encoding.UTF8.GetString(Tracker.ReadArtifact(first, "model/model.txt")));
        var weights = Path.Combine(_workspace.Workspace.StateFolder, "artifacts", "sha256", artifacts[1].Sha256[..2], artifacts[1].Sha256[2..]);
        var shared = Path.Combine(_workspace.Workspace.StateFolder, "artifacts", "sha256", artifacts[0].Sha256[..2], artifacts[0].Sha256[2..]);
        Assert.Equal(artifacts[0].Sha256, artifacts[2].Sha256);

        File.WriteAllText(weights, "tampered");
        Assert.Contains("content is corrupt", Assert.Throws<InvalidDataException>(() => Tracker.ReadArtifact(first, "model/model.txt")).Message);
        Tracker.DeleteRun(first);

        Assert.False(File.Exists(weights));
        Assert.True(File.Exists(shared));
        Assert.Equal("shared", System.Text.Encoding.UTF8.GetString(Tracker.ReadArtifact(second, "same-content.txt")));
        Assert.Contains("no run with id", Assert.Throws<ArgumentException>(() => Tracker.GetRun(first)).Message);
        Assert.Empty(Tracker.ListRuns(new RunQuery { Filter = $"id = '{first}'" }));
    }

    [Fact]
    public void Metrics_are_written_in_batches_and_all_arrive()
    {
        string id;
        using (var run = Tracker.StartRun("bulk"))
        {
            id = run.Id;
            for (var i = 0; i < 25_000; i++)
            {
                run.LogMetric("loss", i, i);
            }
        }

        var history = Tracker.MetricHistory(id, "loss");
        Assert.Equal(25_000, history.Count);
        Assert.Equal(24_999, Tracker.GetRun(id).Summary.Metrics["loss"]);
    }

    public void Dispose() => _workspace.Dispose();

    private static string Git(string folder, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}

/// <summary>Tracked runs on the embedded store.</summary>
public sealed class TrackedRunTestsOnSqlite() : TrackedRunTests(StoreEngine.Sqlite);

/// <summary>Tracked runs on PostgreSQL.</summary>
public sealed class TrackedRunTestsOnPostgreSql() : TrackedRunTests(StoreEngine.PostgreSql);
