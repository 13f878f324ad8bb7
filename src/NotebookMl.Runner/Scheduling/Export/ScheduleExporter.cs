using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace NotebookMl.Runner.Scheduling.Export;

/// <summary>The schedulers <see cref="ScheduleExporter"/> writes for.</summary>
public enum ExportFormat
{
    /// <summary>An Airflow DAG (Python) per pipeline.</summary>
    Airflow,

    /// <summary>A Kubernetes CronJob (YAML) per pipeline.</summary>
    Kubernetes,

    /// <summary>A GitHub Actions workflow (YAML) per pipeline.</summary>
    GithubActions,
}

/// <summary>One file an export wrote.</summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="Path">The file.</param>
/// <param name="Schedule">The five-field cron written.</param>
/// <param name="Command">The command the scheduler runs.</param>
public sealed record ExportedSchedule(string Pipeline, string Path, string Schedule, IReadOnlyList<string> Command);

/// <summary>
/// Writes each pipeline of <c>pipelines.yaml</c> for a scheduler that outgrows one machine: an Airflow DAG, a Kubernetes
/// CronJob or a GitHub Actions workflow. Each runs <c>notebookml schedule trigger NAME --config FILE</c> on the pipeline's
/// schedule, so parameters, timeout, retries and the run history stay NotebookMl's, exactly as <c>schedule run</c> would
/// run them; a triggered pipeline runs it with <c>--if-triggered</c> on its check interval. The outer scheduler's own
/// retries are off (NotebookMl retries), its timeout covers every attempt, and overlapping runs are not started.
/// </summary>
public static class ScheduleExporter
{
    /// <summary>The command <paramref name="pipeline"/> runs, from the folder of the pipelines file named <paramref name="config"/>.</summary>
    public static IReadOnlyList<string> Command(PipelineDefinition pipeline, string config) =>
        ["notebookml", "schedule", "trigger", pipeline.Name, "--config", config, .. pipeline.Trigger is null ? Array.Empty<string>() : ["--if-triggered"]];

    /// <summary>The longest all of a run's attempts and backoffs may take, or null when it has no timeout.</summary>
    public static TimeSpan? TotalTimeout(PipelineDefinition pipeline) =>
        pipeline.Timeout is { } timeout
            ? (timeout * (pipeline.Retries + 1)) + Enumerable.Range(2, pipeline.Retries).Aggregate(TimeSpan.Zero, (sum, attempt) => sum + pipeline.BackoffBefore(attempt))
            : null;

    /// <summary>Writes every pipeline of <paramref name="configuration"/> in <paramref name="format"/> into <paramref name="folder"/>.</summary>
    public static IReadOnlyList<ExportedSchedule> Write(PipelineConfiguration configuration, ExportFormat format, string folder, string image)
    {
        var config = Path.GetFileName(configuration.Path);
        var exports = configuration.Pipelines.Select(pipeline =>
        {
            var (schedule, note) = format == ExportFormat.GithubActions ? ExportCron.InUtc(pipeline) : (ExportCron.Fields(pipeline), null);
            var command = Command(pipeline, config);
            var (name, text) = format switch
            {
                ExportFormat.Airflow => ($"notebookml_{Identifier(pipeline.Name)}.py", Airflow(pipeline, schedule, command, Path.GetDirectoryName(configuration.Path)!)),
                ExportFormat.Kubernetes => ($"{Dns(pipeline.Name)}.cronjob.yaml", Kubernetes(pipeline, schedule, command, image)),
                _ => ($"notebookml-{Dns(pipeline.Name)}.yml", GithubActions(pipeline, schedule, note, command)),
            };
            return (Export: new ExportedSchedule(pipeline.Name, Path.Combine(folder, name), schedule, command), Text: text);
        }).ToArray();

        Directory.CreateDirectory(folder);
        foreach (var (export, text) in exports)
        {
            File.WriteAllText(export.Path, text);
        }

        return exports.Select(e => e.Export).ToArray();
    }

    private static string Airflow(PipelineDefinition pipeline, string schedule, IReadOnlyList<string> command, string folder)
    {
        static string Py(string text) => JsonSerializer.Serialize(text);
        // Airflow starts a run at the end of its data interval: that end is the occurrence the pipeline runs for.
        var bash = string.Join(' ', command.Select(Shell)) + " --scheduled-time {{ data_interval_end.isoformat() }}";
        var timeout = TotalTimeout(pipeline) is { } total ? $"timedelta(seconds={total.TotalSeconds.ToString(CultureInfo.InvariantCulture)})" : "None";
        return $$"""
            # Written by `notebookml schedule export --format airflow` for the pipeline {{pipeline.Name}}.
            # It runs `notebookml schedule trigger`, which renders the parameters, applies the timeout and retries
            # ({{pipeline.Retries}}) and records the run in the NotebookMl workspace, as `notebookml schedule run` would.
            # Airflow retries nothing itself; execution_timeout covers every attempt and its backoff.
            from datetime import timedelta

            import pendulum
            from airflow import DAG
            from airflow.operators.bash import BashOperator

            with DAG(
                dag_id={{Py("notebookml_" + Identifier(pipeline.Name))}},
                schedule={{Py(schedule)}},
                start_date=pendulum.datetime(2026, 1, 1, tz={{Py(ExportCron.Zone(pipeline).Id)}}),
                catchup={{(pipeline.CatchUp == CatchUpPolicy.All && pipeline.Trigger is null ? "True" : "False")}},
                max_active_runs=1,
                is_paused_upon_creation={{(pipeline.Enabled ? "False" : "True")}},
                tags=["notebookml"],
            ) as dag:
                BashOperator(
                    task_id="run",
                    bash_command={{Py(bash)}},
                    cwd={{Py(folder)}},  # the pipelines file's folder where it was exported; edit if the workers see it elsewhere
                    retries=0,
                    execution_timeout={{timeout}},
                )

            """;
    }

    private static string Kubernetes(PipelineDefinition pipeline, string schedule, IReadOnlyList<string> command, string image)
    {
        var job = new Dictionary<string, object?>
        {
            ["backoffLimit"] = 0,
            ["template"] = new Dictionary<string, object?>
            {
                ["spec"] = new Dictionary<string, object?>
                {
                    ["restartPolicy"] = "Never",
                    ["containers"] = new[]
                    {
                        new Dictionary<string, object?>
                        {
                            ["name"] = "notebookml", ["image"] = image, ["workingDir"] = "/workspace", ["command"] = command,
                            ["volumeMounts"] = new[] { new Dictionary<string, object?> { ["name"] = "workspace", ["mountPath"] = "/workspace" } },
                        },
                    },
                    ["volumes"] = new[] { new Dictionary<string, object?> { ["name"] = "workspace", ["persistentVolumeClaim"] = new Dictionary<string, object?> { ["claimName"] = "notebookml-workspace" } } },
                },
            },
        };
        if (TotalTimeout(pipeline) is { } total)
        {
            job["activeDeadlineSeconds"] = (long)Math.Ceiling(total.TotalSeconds);
        }

        var cronJob = new Dictionary<string, object?>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["metadata"] = new Dictionary<string, object?> { ["name"] = "notebookml-" + Dns(pipeline.Name), ["labels"] = new Dictionary<string, object?> { ["app.kubernetes.io/managed-by"] = "notebookml" } },
            ["spec"] = new Dictionary<string, object?>
            {
                ["schedule"] = schedule,
                ["timeZone"] = ExportCron.Zone(pipeline).Id,
                // skip and queue both wait for the run going on; Kubernetes cannot queue, so a queued occurrence is not run.
                ["concurrencyPolicy"] = "Forbid",
                ["suspend"] = !pipeline.Enabled,
                // catch_up none: a missed occurrence is dropped after a minute; latest/all: Kubernetes runs the latest missed one.
                ["startingDeadlineSeconds"] = pipeline.CatchUp == CatchUpPolicy.None || pipeline.Trigger is not null ? 60 : 86400,
                ["jobTemplate"] = new Dictionary<string, object?> { ["spec"] = job },
            },
        };
        return $"# Written by `notebookml schedule export --format kubernetes` for the pipeline {pipeline.Name}: it runs `{string.Join(' ', command)}`\n" +
            "# in the workspace on the PersistentVolumeClaim notebookml-workspace (the repository with its .notebookml/ state).\n" + Yaml(cronJob);
    }

    private static string GithubActions(PipelineDefinition pipeline, string schedule, string? note, IReadOnlyList<string> command)
    {
        var steps = new object[]
        {
            new Dictionary<string, object?> { ["uses"] = "actions/checkout@v4" },
            new Dictionary<string, object?> { ["uses"] = "actions/setup-dotnet@v4", ["with"] = new Dictionary<string, object?> { ["dotnet-version"] = "10.0.x" } },
            new Dictionary<string, object?> { ["name"] = "build notebookml", ["run"] = "dotnet build src/NotebookMl.Cli -c Release && echo \"$PWD/src/NotebookMl.Cli/bin/Release/net10.0\" >> \"$GITHUB_PATH\"" },
            new Dictionary<string, object?> { ["name"] = pipeline.Name, ["run"] = string.Join(' ', command.Select(Shell)) },
        };
        var run = new Dictionary<string, object?> { ["runs-on"] = "ubuntu-latest", ["steps"] = steps };
        if (TotalTimeout(pipeline) is { } total)
        {
            run["timeout-minutes"] = (long)Math.Ceiling(total.TotalMinutes) + 10;
        }

        var on = new Dictionary<string, object?> { ["workflow_dispatch"] = new Dictionary<string, object?>() };
        if (pipeline.Enabled)
        {
            on["schedule"] = new[] { new Dictionary<string, object?> { ["cron"] = schedule } };
        }

        var workflow = new Dictionary<string, object?>
        {
            ["name"] = "notebookml: " + pipeline.Name,
            ["on"] = on,
            ["concurrency"] = new Dictionary<string, object?> { ["group"] = "notebookml-" + Dns(pipeline.Name), ["cancel-in-progress"] = false },
            ["jobs"] = new Dictionary<string, object?> { ["run"] = run },
        };
        var header = new StringBuilder($"# Written by `notebookml schedule export --format github-actions` for the pipeline {pipeline.Name}.\n");
        header.Append("# A runner starts empty: keep the workspace state (.notebookml/) elsewhere (NOTEBOOKML_HOME on a mounted store) to keep history.\n");
        if (note is not null)
        {
            header.Append("# ").Append(note).Append('\n');
        }

        return header + Yaml(workflow);
    }

    private static string Yaml(object value) => new SerializerBuilder().Build().Serialize(value);

    private static string Shell(string word) => word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@".Contains(c)) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Identifier(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    private static string Dns(string name) => new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
}
