using NotebookMl.Core.Time;
using NotebookMl.Runner.Scheduling;
using Spectre.Console;

namespace NotebookMl.Cli.Rendering;

/// <summary>The scheduler in a terminal: one timestamped line per event (plain in CI, coloured in a terminal).</summary>
internal sealed class ConsoleSchedulerObserver(IAnsiConsole console, TimeProvider timeProvider, string runsFolder) : ISchedulerObserver
{
    public void Resumed(PipelineDefinition pipeline, DateTimeOffset? watermark, DateTimeOffset? next)
    {
        var since = watermark is { } w ? $"resumed from {Utc(w)}" : "first start";
        var when = next is { } n ? $"next run {Local(pipeline, n)}" : "no future occurrence";
        Write($"[bold]{Markup.Escape(pipeline.Name)}[/] ({Markup.Escape(pipeline.Schedule.Text)}, {Markup.Escape(pipeline.Schedule.TimeZone.Id)}): {since}; {when}");
    }

    public void Missed(PipelineDefinition pipeline, int count, CatchUpPolicy policy)
    {
        var what = policy switch
        {
            CatchUpPolicy.All => $"running all {Math.Min(count, PipelineScheduler.MaxCatchUp)}",
            CatchUpPolicy.Latest => "running the latest",
            _ => "not running them",
        };
        Write($"[yellow]{Markup.Escape(pipeline.Name)}: {count} occurrence(s) missed while the scheduler was down; {what} (catch_up: {policy.ToString().ToLowerInvariant()})[/]");
    }

    public void TriggerChecked(PipelineDefinition pipeline, DateTimeOffset time, TriggerCheck check) =>
        Write(check switch
        {
            { Fired: true } => $"[bold]{Markup.Escape(pipeline.Name)}[/]: trigger fired at {Utc(time)}: {Markup.Escape(check.Reason)}",
            { Failed: true } => $"[yellow]{Markup.Escape(pipeline.Name)}: trigger checked at {Utc(time)}, could not judge: {Markup.Escape(check.Reason)}[/]",
            _ => $"{Markup.Escape(pipeline.Name)}: trigger checked at {Utc(time)}, not fired: {Markup.Escape(check.Reason)}",
        });

    public void OrphanFound(PipelineRunRecord record) =>
        Write($"[yellow]{Markup.Escape(record.Pipeline)}: run #{record.Id} ({Utc(record.ScheduledTime)}) marked interrupted: {Markup.Escape(record.Message ?? "")}[/]");

    public void Queued(PipelineDefinition pipeline, DateTimeOffset scheduledTime, RunTrigger trigger) =>
        Write($"{Markup.Escape(pipeline.Name)} {Utc(scheduledTime)} queued ({trigger.ToName()})");

    public void Skipped(PipelineDefinition pipeline, DateTimeOffset scheduledTime, string reason) =>
        Write($"[yellow]{Markup.Escape(pipeline.Name)} {Utc(scheduledTime)} skipped: {Markup.Escape(reason)}[/]");

    public void AttemptStarted(PipelineAttempt attempt) =>
        Write($"{Markup.Escape(attempt.Pipeline.Name)} {Utc(attempt.ScheduledTime)} started ({attempt.Trigger.ToName()}, attempt {attempt.Attempt}) → {Markup.Escape(Relative(attempt.Folder))}");

    public void AttemptFinished(PipelineAttempt attempt, PipelineRunOutcome outcome, TimeSpan duration)
    {
        var colour = outcome.Status == PipelineRunStatus.Succeeded ? "green" : "red";
        var message = outcome.Message is { } m ? ": " + Markup.Escape(m) : "";
        Write($"{Markup.Escape(attempt.Pipeline.Name)} {Utc(attempt.ScheduledTime)} [{colour}]{outcome.Status.ToName()}[/] in {Durations.Format(duration)} (exit {outcome.ExitCode}){message}");
    }

    public void RetryScheduled(PipelineDefinition pipeline, DateTimeOffset scheduledTime, int attempt, TimeSpan wait) =>
        Write($"{Markup.Escape(pipeline.Name)} {Utc(scheduledTime)} attempt {attempt} of {pipeline.Retries + 1} in {Durations.Format(wait)}");

    public void Stopping(int running, TimeSpan grace) =>
        Write(running == 0
            ? "stopping: nothing running"
            : $"[yellow]stopping: {running} run(s) going; they get {Durations.Format(grace)} to finish (Ctrl-C again stops them now)[/]");

    public void Error(string message) => Write($"[red]error: {Markup.Escape(message)}[/]");

    private void Write(string markup) =>
        console.MarkupLine($"[grey]{timeProvider.GetLocalNow():yyyy-MM-dd HH:mm:ss}[/] {markup}");

    private string Relative(string path) => Path.GetRelativePath(Path.GetDirectoryName(runsFolder) ?? runsFolder, path);

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static string Local(PipelineDefinition pipeline, DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, pipeline.Schedule.TimeZone).ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);
}
