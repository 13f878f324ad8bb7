using NotebookMl.Core.Time;
using System.Threading.Channels;
using NotebookMl.Runner.Scheduling;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>Records the scheduler's events as lines, so tests can wait for one ("skipped daily 06:01:00").</summary>
internal sealed class RecordingObserver : ISchedulerObserver
{
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private readonly List<string> _all = [];

    public IReadOnlyList<string> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Waits (10 s of real time at most) for an event starting with <paramref name="prefix"/>; returns it.</summary>
    public async Task<string> WaitForAsync(string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            string next;
            try
            {
                next = await _events.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no event '{prefix}…' within 10 s; events: {string.Join(" | ", All)}");
            }

            if (next.StartsWith(prefix, StringComparison.Ordinal))
            {
                return next;
            }
        }
    }

    public void Resumed(PipelineDefinition pipeline, DateTimeOffset? watermark, DateTimeOffset? next) => Add($"resumed {pipeline.Name} next {T(next)}");

    public void Missed(PipelineDefinition pipeline, int count, CatchUpPolicy policy) => Add($"missed {pipeline.Name} {count}");

    public void OrphanFound(PipelineRunRecord record) => Add($"orphan {record.Pipeline} #{record.Id}");

    public void Queued(PipelineDefinition pipeline, DateTimeOffset scheduledTime, RunTrigger trigger) => Add($"queued {pipeline.Name} {T(scheduledTime)}");

    public void Skipped(PipelineDefinition pipeline, DateTimeOffset scheduledTime, string reason) => Add($"skipped {pipeline.Name} {T(scheduledTime)}");

    public void AttemptStarted(PipelineAttempt attempt) => Add($"started {attempt.Pipeline.Name} {T(attempt.ScheduledTime)} a{attempt.Attempt}");

    public void AttemptFinished(PipelineAttempt attempt, PipelineRunOutcome outcome, TimeSpan duration) =>
        Add($"finished {attempt.Pipeline.Name} {T(attempt.ScheduledTime)} a{attempt.Attempt} {outcome.Status.ToName()}");

    public void RetryScheduled(PipelineDefinition pipeline, DateTimeOffset scheduledTime, int attempt, TimeSpan wait) =>
        Add($"retry {pipeline.Name} {T(scheduledTime)} a{attempt} in {Durations.Format(wait)}");

    public void Stopping(int running, TimeSpan grace) => Add($"stopping {running}");

    public void Error(string message) => Add($"error {message}");

    public void Idle(DateTimeOffset now, DateTimeOffset due) => Add($"idle at {T(now)} until {T(due)}");

    public void TriggerChecked(PipelineDefinition pipeline, DateTimeOffset time, TriggerCheck check) =>
        Add($"checked {pipeline.Name} {T(time)} {(check.Fired ? "fired" : "not fired")}: {check.Reason}");

    private void Add(string line)
    {
        lock (_all)
        {
            _all.Add(line);
        }

        _events.Writer.TryWrite(line);
    }

    private static string T(DateTimeOffset? time) => time?.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
