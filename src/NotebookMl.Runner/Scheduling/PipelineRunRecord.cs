namespace NotebookMl.Runner.Scheduling;

/// <summary>One row of the run history: one attempt of one occurrence of a pipeline (or a skipped occurrence).</summary>
/// <param name="Id">The row's id.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="ScheduledTime">The occurrence it ran for (UTC); for a manual trigger, when it was asked for unless given.</param>
/// <param name="Trigger">Why it ran.</param>
/// <param name="Attempt">1 for the first try, 2 for the first retry, …</param>
/// <param name="Status">How it ended, or <see cref="PipelineRunStatus.Running"/>.</param>
/// <param name="Started">When the attempt started (UTC).</param>
/// <param name="Ended">When it ended (UTC), null while running.</param>
/// <param name="ExitCode">The exit code <c>notebookml run</c> would give for it, null while running or when skipped.</param>
/// <param name="OutputPath">The executed notebook.</param>
/// <param name="LogPath">The run's log.</param>
/// <param name="Message">One line: the error, or why it was skipped or interrupted.</param>
/// <param name="Reason">For a run a trigger fired: the statistic that fired it.</param>
public sealed record PipelineRunRecord(
    long Id,
    string Pipeline,
    DateTimeOffset ScheduledTime,
    RunTrigger Trigger,
    int Attempt,
    PipelineRunStatus Status,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    int? ExitCode,
    string? OutputPath,
    string? LogPath,
    string? Message,
    string? Reason = null)
{
    /// <summary>How long it ran, once ended.</summary>
    public TimeSpan? Duration => Ended - Started;
}
