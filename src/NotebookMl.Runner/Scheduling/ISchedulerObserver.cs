namespace NotebookMl.Runner.Scheduling;

/// <summary>Follows the scheduler as it works: for the terminal and for tests.</summary>
public interface ISchedulerObserver
{
    /// <summary>The scheduler resumed <paramref name="pipeline"/> from the store, or started it fresh; <paramref name="next"/> is its next occurrence.</summary>
    void Resumed(PipelineDefinition pipeline, DateTimeOffset? watermark, DateTimeOffset? next);

    /// <summary><paramref name="count"/> occurrences were missed while the scheduler was down; <paramref name="policy"/> decides what runs.</summary>
    void Missed(PipelineDefinition pipeline, int count, CatchUpPolicy policy);

    /// <summary>A row was left running by a process that died; it is now marked interrupted.</summary>
    void OrphanFound(PipelineRunRecord record);

    /// <summary>An occurrence waits for the pipeline's current run (overlap: queue, or catch-up).</summary>
    void Queued(PipelineDefinition pipeline, DateTimeOffset scheduledTime, RunTrigger trigger);

    /// <summary>An occurrence was skipped because the previous run was still going (overlap: skip).</summary>
    void Skipped(PipelineDefinition pipeline, DateTimeOffset scheduledTime, string reason);

    /// <summary>An attempt starts.</summary>
    void AttemptStarted(PipelineAttempt attempt);

    /// <summary>An attempt ended.</summary>
    void AttemptFinished(PipelineAttempt attempt, PipelineRunOutcome outcome, TimeSpan duration);

    /// <summary>Attempt <paramref name="attempt"/> will start after <paramref name="wait"/>.</summary>
    void RetryScheduled(PipelineDefinition pipeline, DateTimeOffset scheduledTime, int attempt, TimeSpan wait);

    /// <summary>The scheduler was asked to stop; <paramref name="running"/> runs get <paramref name="grace"/> to finish.</summary>
    void Stopping(int running, TimeSpan grace);

    /// <summary>
    /// The loop has started everything due at <paramref name="now"/> and sleeps until <paramref name="due"/>,
    /// or until a run ends or <see cref="PipelineScheduler.Wake"/> is called.
    /// </summary>
    void Idle(DateTimeOffset now, DateTimeOffset due) { }

    /// <summary>A triggered pipeline's condition was checked (<paramref name="check"/>: fired or not, and why).</summary>
    void TriggerChecked(PipelineDefinition pipeline, DateTimeOffset time, TriggerCheck check) { }

    /// <summary>Something went wrong outside a run (the store, the disk); the scheduler goes on.</summary>
    void Error(string message);
}
