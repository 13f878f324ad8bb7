using NotebookMl.Core.Time;
using System.CommandLine;
using System.Globalization;
using NotebookMl.Cli.Rendering;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Runner.Scheduling;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml schedule list</c> and <c>schedule history</c>: tables, or JSON with <c>--json</c>.</summary>
internal static class ScheduleReports
{
    public static Command CreateList(CliVerbContext output)
    {
        var command = new Command("list", "List the pipelines: schedule, time zone, next run, last run, policies.");
        command.SetAction(parse =>
        {
            var configuration = ScheduleCommands.ReadConfiguration(parse);
            var latest = ScheduleCommands.OpenStore(configuration).Latest();
            var now = TimeProvider.System.GetUtcNow();
            var folder = Path.GetDirectoryName(configuration.Path)!;
            var pipelines = configuration.Pipelines.Select(p => new
            {
                name = p.Name,
                notebook = Path.GetRelativePath(folder, p.NotebookPath),
                schedule = p.Schedule.Text,
                trigger = p.Trigger switch
                {
                    DriftTrigger d => $"drift: {d.Model} max_psi {d.MaxPsi.ToString(CultureInfo.InvariantCulture)} over {Durations.Format(d.Window)}",
                    PerformanceTrigger m => $"performance: {m.Model} {m.Metric} {(m.Min is { } min ? $"min {min.ToString(CultureInfo.InvariantCulture)}" : $"max {m.Max!.Value.ToString(CultureInfo.InvariantCulture)}")} over {Durations.Format(m.Window)}",
                    _ => null,
                },
                time_zone = p.Schedule.TimeZone.Id,
                next_run = p.Enabled && p.Schedule.NextAfter(now) is { } next ? TimeZoneInfo.ConvertTime(next, p.Schedule.TimeZone) : (DateTimeOffset?)null,
                last_status = latest.TryGetValue(p.Name, out var last) ? last.Status.ToName() : null,
                last_scheduled_time = latest.TryGetValue(p.Name, out var l) ? l.ScheduledTime : (DateTimeOffset?)null,
                overlap = p.Overlap.ToString().ToLowerInvariant(),
                catch_up = p.CatchUp.ToString().ToLowerInvariant(),
                retries = p.Retries,
                timeout = p.Timeout is { } t ? Durations.Format(t) : null,
                enabled = p.Enabled,
            }).ToArray();
            if (output.Json)
            {
                output.Display(pipelines);
                return;
            }

            output.Display(new Table(
                ["pipeline", "notebook", "schedule", "time zone", "next run", "last run", "overlap", "catch-up", "retries", "timeout"],
                pipelines.Select(p => (IReadOnlyList<string>)
                [
                    p.name, p.notebook, p.schedule, p.time_zone,
                    p.enabled ? Time(p.next_run) : "disabled",
                    p.last_status is null ? "never" : $"{p.last_status} ({Time(p.last_scheduled_time)})",
                    p.overlap, p.catch_up, p.retries.ToString(CultureInfo.InvariantCulture), p.timeout ?? "none",
                ]).ToArray())
            {
                Title = $"Pipelines in {configuration.Path}",
            });
        });
        return command;
    }

    public static Command CreateHistory(CliVerbContext output)
    {
        var name = new Argument<string?>("name") { Description = "Only this pipeline's runs.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int?>("--limit", "-n") { Description = "How many rows, newest first (default 20).", HelpName = "N" };
        var command = new Command("history", "The run history: every attempt's status, times, exit code and output.") { name, limit };
        command.Validators.Add(result =>
        {
            if (result.GetValue(limit) is < 1)
            {
                result.AddError("--limit takes a number of rows above 0.");
            }
        });
        command.SetAction(parse =>
        {
            var configuration = ScheduleCommands.ReadConfiguration(parse);
            var pipeline = parse.GetValue(name);
            if (pipeline is not null)
            {
                configuration.Find(pipeline);
            }

            var rows = ScheduleCommands.OpenStore(configuration).History(pipeline, parse.GetValue(limit) ?? 20);
            if (output.Json)
            {
                output.Display(rows.Select(r => new
                {
                    id = r.Id,
                    pipeline = r.Pipeline,
                    scheduled_time = r.ScheduledTime,
                    trigger = r.Trigger.ToName(),
                    attempt = r.Attempt,
                    status = r.Status.ToName(),
                    started = r.Started,
                    ended = r.Ended,
                    duration_seconds = r.Duration?.TotalSeconds,
                    exit_code = r.ExitCode,
                    output_path = r.OutputPath,
                    log_path = r.LogPath,
                    message = r.Message,
                    reason = r.Reason,
                }).ToArray());
                return;
            }

            output.Display(new Table(
                ["id", "pipeline", "scheduled", "trigger", "attempt", "status", "started", "duration", "exit", "message"],
                rows.Select(r => (IReadOnlyList<string>)
                [
                    r.Id.ToString(CultureInfo.InvariantCulture), r.Pipeline, Time(r.ScheduledTime), r.Trigger.ToName(),
                    r.Attempt == 0 ? "" : r.Attempt.ToString(CultureInfo.InvariantCulture), r.Status.ToName(), Time(r.Started),
                    r.Duration is { } d ? Durations.Format(d) : "", r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "", Shorten(r.Reason is null ? r.Message : r.Message is null ? r.Reason : $"{r.Reason}; {r.Message}"),
                ]).ToArray())
            {
                Title = rows.Count == 0 ? "No runs yet." : $"Run history{(pipeline is null ? "" : " of " + pipeline)} (newest first; --json for paths)",
            });
        });
        return command;
    }

    private static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) ?? "";

    private static string Shorten(string? text) => text is null ? "" : text.Length > 80 ? text[..79] + "…" : text;
}
