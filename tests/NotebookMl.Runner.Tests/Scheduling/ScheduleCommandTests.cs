using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;
using NotebookMl.Runner.Scheduling;
using NotebookMl.Runner.Tests.Running;
using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>The real <c>notebookml schedule</c> verbs on real notebooks and the real kernel.</summary>
public sealed class ScheduleCommandTests : IDisposable
{
    private readonly RunFixture _run = new();

    /// <summary>The workspace is the test's folder, whatever lies above it.</summary>
    public ScheduleCommandTests() => Directory.CreateDirectory(Path.Combine(_run.Folder, ".notebookml"));

    [Fact]
    public async Task A_seconds_level_schedule_runs_the_notebook_with_templated_parameters_and_stops_cleanly_on_SIGTERM()
    {
        _run.CSharpNotebook(
            "stamp.ipynb",
            ("string stamp = \"none\";", ["parameters"]),
            ("Console.WriteLine($\"stamp={stamp}\");", []));
        _run.Write("pipelines.yaml", """
            pipelines:
              stamp:
                notebook: stamp.ipynb
                schedule: "*/3 * * * * *"
                time_zone: UTC
                parameters:
                  stamp: "{{scheduled_time:HH:mm:ss}}"
            """);
        using var owned = new OwnedProcess(Start("schedule", "run", "--grace", "30"));
        var scheduler = owned.Process;
        var store = new RunHistoryStore(WorkspaceDatabase.Open(new WorkspaceLocation(_run.Folder, Path.Combine(_run.Folder, ".notebookml"))));

        var succeeded = await WaitForAsync(() => store.History("stamp", 50).Where(r => r.Status == PipelineRunStatus.Succeeded).ToList(), rows => rows.Count >= 2, TimeSpan.FromSeconds(90));
        var second = await _run.RunAsync("schedule", "run", "--config", Path.Combine(_run.Folder, "pipelines.yaml"));
        Process.Start("kill", ["-TERM", scheduler.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(scheduler.WaitForExit(TimeSpan.FromSeconds(60)), "the scheduler did not stop within 60 s of SIGTERM");
        var output = await scheduler.StandardOutput.ReadToEndAsync();

        Assert.True(scheduler.ExitCode == 0, output + await scheduler.StandardError.ReadToEndAsync());
        Assert.Contains("notebookml schedule: stopped", output);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"another scheduler (pid {scheduler.Id}) is running", second.StandardError);
        foreach (var row in succeeded)
        {
            Assert.Equal(0, row.ScheduledTime.Second % 3);
            Assert.Equal((RunTrigger.Schedule, 1, 0), (row.Trigger, row.Attempt, row.ExitCode!.Value));
            var cells = RunFixture.ReadNotebook(row.OutputPath!)["cells"]!.AsArray();
            Assert.Contains($"stamp={row.ScheduledTime.UtcDateTime:HH:mm:ss}", RunFixture.AllText(cells.Last()!.AsObject()));
            Assert.Contains("succeeded (exit code 0)", await File.ReadAllTextAsync(row.LogPath!));
            Assert.Contains($"stamp={row.ScheduledTime.UtcDateTime:HH:mm:ss}", await File.ReadAllTextAsync(row.LogPath!));
        }

        Assert.DoesNotContain(store.History("stamp", 50), r => r.Status == PipelineRunStatus.Running);
        var history = await _run.RunAsync("schedule", "history", "stamp", "--json", "--config", Path.Combine(_run.Folder, "pipelines.yaml"));
        Assert.True(history.ExitCode == 0, history.Output);
        Assert.Contains(JsonNode.Parse(history.StandardOutput)!.AsArray(), r => r!["status"]!.GetValue<string>() == "succeeded" && r["output_path"]!.GetValue<string>() == succeeded[0].OutputPath);
    }

    [Fact]
    public async Task Trigger_runs_a_pipeline_now_with_its_retries_and_exits_with_the_run_exit_code()
    {
        _run.CSharpNotebook(
            "day.ipynb",
            ("DateTime day = DateTime.Today;", ["parameters"]),
            ("if (day.Month == 2) throw new InvalidOperationException(\"no runs in February\");\nConsole.WriteLine($\"day={day:yyyy-MM-dd}\");\nConsole.WriteLine($\"actor={NotebookMl.Core.Registry.RegistryActor.Current()}\");", []));
        _run.Write("pipelines.yaml", """
            pipelines:
              daily:
                notebook: day.ipynb
                schedule: "0 6 * * *"
                time_zone: Europe/Oslo
                parameters:
                  day: "{{scheduled_time-1d:yyyy-MM-dd}}"
                retries: 1
                retry_backoff: 0s
            """);

        var good = await _run.RunAsync("schedule", "trigger", "daily", "--scheduled-time", "2026-01-15T06:00", "--config", Path.Combine(_run.Folder, "pipelines.yaml"));
        var bad = await _run.RunAsync("schedule", "trigger", "daily", "--scheduled-time", "2026-02-15", "--config", Path.Combine(_run.Folder, "pipelines.yaml"));
        var list = await _run.RunAsync("schedule", "list", "--json", "--config", Path.Combine(_run.Folder, "pipelines.yaml"));

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("attempt 2 of 2", bad.StandardOutput);
        Assert.Contains("cell_failed", bad.StandardOutput);
        var store = new RunHistoryStore(WorkspaceDatabase.Open(new WorkspaceLocation(_run.Folder, Path.Combine(_run.Folder, ".notebookml"))));
        var rows = store.History("daily", 10).OrderBy(r => r.Id).ToList();
        Assert.Equal([(1, PipelineRunStatus.Succeeded), (1, PipelineRunStatus.CellFailed), (2, PipelineRunStatus.CellFailed)], rows.Select(r => (r.Attempt, r.Status)));
        Assert.All(rows, r => Assert.Equal(RunTrigger.Manual, r.Trigger));
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 5, 0, 0, TimeSpan.Zero), rows[0].ScheduledTime);
        Assert.Contains("day=2026-01-14", RunFixture.AllText(RunFixture.ReadNotebook(rows[0].OutputPath!)["cells"]!.AsArray().Last()!.AsObject()));
        // What the run changes in the model registry is recorded as the pipeline's doing.
        Assert.Contains("actor=pipeline daily (2026-01-15T05:00:00Z)", RunFixture.AllText(RunFixture.ReadNotebook(rows[0].OutputPath!)["cells"]!.AsArray().Last()!.AsObject()));
        Assert.Contains("no runs in February", rows[2].Message);
        var listed = JsonNode.Parse(list.StandardOutput)!.AsArray().Single()!;
        Assert.Equal(("daily", "cell_failed", "Europe/Oslo"), (listed["name"]!.GetValue<string>(), listed["last_status"]!.GetValue<string>(), listed["time_zone"]!.GetValue<string>()));
        Assert.Equal(6, listed["next_run"]!.GetValue<DateTimeOffset>().Hour);
    }

    [Fact]
    public async Task A_bad_pipelines_file_or_name_is_one_line_on_stderr_and_exit_code_2()
    {
        _run.CSharpNotebook("n.ipynb", ("Console.WriteLine(1);", []));
        var config = _run.Write("pipelines.yaml", "pipelines:\n  n:\n    notebook: n.ipynb\n    schedule: \"0 6 * * *\"\n    retry: 2\n");

        var badKey = await _run.RunAsync("schedule", "run", "--config", config);
        var missing = await _run.RunAsync("schedule", "list", "--config", Path.Combine(_run.Folder, "nope.yaml"));
        File.WriteAllText(config, "pipelines:\n  n:\n    notebook: n.ipynb\n    schedule: \"0 6 * * *\"\n");
        var unknown = await _run.RunAsync("schedule", "trigger", "m", "--config", config);

        Assert.Equal((2, $"notebookml: {config}:5: unknown key 'retry' in pipelines.n; expected one of: notebook, schedule, time_zone, parameters, kernel, cwd, timeout, cell_timeout, allow_errors, retries, retry_backoff, max_retry_backoff, overlap, catch_up, enabled, trigger.\n"), (badKey.ExitCode, badKey.StandardError));
        Assert.Equal((2, $"notebookml: {Path.Combine(_run.Folder, "nope.yaml")}: pipelines file not found.\n"), (missing.ExitCode, missing.StandardError));
        Assert.Equal((2, $"notebookml: {config}: no pipeline named 'm'; pipelines: n.\n"), (unknown.ExitCode, unknown.StandardError));
    }

    public void Dispose() => _run.Dispose();

    private Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(RepoPaths.CliExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _run.Folder,
        };
        info.Environment["CI"] = "true";
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"not done within {timeout.TotalSeconds} s");
            }

            await Task.Delay(250);
        }
    }
}
