using System.Text.Json.Nodes;
using NotebookMl.Runner.Tests.Running;
using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>
/// <c>notebookml schedule export</c>: the Airflow DAGs parse as Python, the CronJobs and workflows as YAML (Python's own
/// parsers, export_reader.py), with the schedules, time zones, timeouts and retries of pipelines.yaml; and the command each
/// runs is <c>schedule trigger</c>'s, which, run as written, runs the pipeline.
/// </summary>
public sealed class ScheduleExportTests : IDisposable
{
    private readonly RunFixture _run = new();

    public ScheduleExportTests() => Directory.CreateDirectory(Path.Combine(_run.Folder, ".notebookml"));

    [Fact]
    public async Task Every_format_parses_carries_the_schedule_and_runs_what_schedule_trigger_runs()
    {
        _run.CSharpNotebook("hello.ipynb", ("string who = \"nobody\";", ["parameters"]), ("Console.WriteLine($\"hello {who}\");", []));
        var config = _run.Write("pipelines.yaml", """
            pipelines:
              hello:
                notebook: hello.ipynb
                schedule: "0 30 6 * * *"
                time_zone: Europe/Oslo
                parameters:
                  who: "{{scheduled_time:yyyy-MM-dd}}"
                timeout: 10m
                retries: 2
                retry_backoff: 1m
              watch:
                notebook: hello.ipynb
                trigger:
                  drift: {model: flights@champion, max_psi: 0.2, window: 1d, check_every: 15m}
            """);

        foreach (var format in new[] { "airflow", "kubernetes", "github-actions" })
        {
            var export = await _run.RunAsync("schedule", "export", "--config", config, "--format", format, "--output", Path.Combine(_run.Folder, format));
            Assert.True(export.ExitCode == 0, export.Output);
        }

        var read = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [RepoPaths.Of("tests", "NotebookMl.Runner.Tests", "Scheduling", "export_reader.py"), _run.Folder], TimeSpan.FromMinutes(1));
        Assert.True(read.ExitCode == 0, read.Output);
        var files = JsonNode.Parse(read.StandardOutput)!.AsObject();

        var trigger = "notebookml schedule trigger hello --config pipelines.yaml";
        // Airflow: the pipeline's zone and cron, Airflow's retries off and a timeout covering 3 attempts and 2 backoffs (1m, 2m).
        var dag = files["airflow/notebookml_hello.py"]!;
        Assert.Equal(("30 6 * * *", "Europe/Oslo", "notebookml_hello"), ((string)dag["schedule"]!, (string)dag["tz"]!, (string)dag["dag_id"]!));
        Assert.Equal(trigger + " --scheduled-time {{ data_interval_end.isoformat() }}", (string)dag["bash_command"]!);
        Assert.Equal((0, 30 * 60 + 3 * 60.0), ((int)dag["retries"]!, (double)dag["execution_timeout"]!));
        Assert.Equal("*/15 * * * *", (string)files["airflow/notebookml_watch.py"]!["schedule"]!);
        Assert.EndsWith("--if-triggered --scheduled-time {{ data_interval_end.isoformat() }}", (string)files["airflow/notebookml_watch.py"]!["bash_command"]!, StringComparison.Ordinal);
        // Kubernetes: a CronJob in the zone, no overlapping jobs, no Kubernetes retries, the same command.
        var cronJob = files["kubernetes/hello.cronjob.yaml"]!;
        Assert.Equal(("CronJob", "30 6 * * *", "Europe/Oslo", "Forbid"), ((string)cronJob["kind"]!, (string)cronJob["spec"]!["schedule"]!, (string)cronJob["spec"]!["timeZone"]!, (string)cronJob["spec"]!["concurrencyPolicy"]!));
        var job = cronJob["spec"]!["jobTemplate"]!["spec"]!;
        Assert.Equal((0, 1980), ((int)job["backoffLimit"]!, (int)job["activeDeadlineSeconds"]!));
        var command = job["template"]!["spec"]!["containers"]![0]!["command"]!.AsArray().Select(c => (string)c!).ToArray();
        Assert.Equal(trigger, string.Join(' ', command));
        // GitHub Actions: cron in UTC (06:30 Oslo at its standard offset is 05:30), one run at a time, the same command.
        var workflow = files["github-actions/notebookml-hello.yml"]!;
        Assert.Equal("30 5 * * *", (string)workflow["on"]!["schedule"]![0]!["cron"]!);
        Assert.False((bool)workflow["concurrency"]!["cancel-in-progress"]!);
        Assert.Equal(trigger, (string)workflow["jobs"]!["run"]!["steps"]!.AsArray().Last()!["run"]!);

        // The command as the CronJob writes it, run from the workspace: schedule trigger runs the pipeline and records it.
        var ran = await InWorkspaceAsync(command[1..]);
        var history = await InWorkspaceAsync("schedule", "history", "hello", "--json");
        Assert.True(ran.ExitCode == 0, ran.Output);
        Assert.Equal(("manual", "succeeded"), ((string)JsonNode.Parse(history.StandardOutput)![0]!["trigger"]!, (string)JsonNode.Parse(history.StandardOutput)![0]!["status"]!));
        // A triggered pipeline's exported command checks its trigger first: an unknown model is one line, exit 2.
        var watch = await InWorkspaceAsync("schedule", "trigger", "watch", "--config", "pipelines.yaml", "--if-triggered");
        Assert.Equal(2, watch.ExitCode);
        Assert.Contains("flights", watch.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _run.Dispose();

    /// <summary>Runs notebookml in the pipelines' folder, as the exported schedulers do.</summary>
    private Task<ProcessResult> InWorkspaceAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true" }, _run.Folder);
}
