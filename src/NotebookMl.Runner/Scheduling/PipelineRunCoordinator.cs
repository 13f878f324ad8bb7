namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// Runs one occurrence of a pipeline to its end: attempts with retries and backoff, each with its own
/// folder and history row. Used by the scheduler and by <c>schedule trigger</c>.
/// </summary>
public sealed class PipelineRunCoordinator(RunHistoryStore store, IPipelineExecutor executor, TimeProvider timeProvider, ISchedulerObserver observer, string runsFolder)
{
    /// <summary>
    /// Runs <paramref name="pipeline"/> for <paramref name="scheduledTime"/>. <paramref name="stopping"/>
    /// prevents further attempts (a retry waiting for its backoff is recorded interrupted);
    /// <paramref name="abort"/> stops the running attempt.
    /// </summary>
    public async Task<PipelineRunOutcome> RunAsync(PipelineDefinition pipeline, DateTimeOffset scheduledTime, RunTrigger trigger, CancellationToken stopping, CancellationToken abort, string? reason = null)
    {
        var outcome = new PipelineRunOutcome(PipelineRunStatus.Interrupted, RunResult.InterruptedExitCode, "the scheduler stopped before the run started");
        for (var attempt = 1; attempt <= pipeline.Retries + 1; attempt++)
        {
            if (attempt > 1)
            {
                var wait = pipeline.BackoffBefore(attempt);
                var deadline = timeProvider.GetUtcNow() + wait;
                observer.RetryScheduled(pipeline, scheduledTime, attempt, wait);
                try
                {
                    await timeProvider.DelayUntilAsync(deadline, null, stopping);
                }
                catch (OperationCanceledException)
                {
                    var message = $"the scheduler stopped while attempt {attempt} waited for its backoff";
                    store.RecordNotRun(pipeline.Name, scheduledTime, trigger, PipelineRunStatus.Interrupted, timeProvider.GetUtcNow(), message, reason);
                    return outcome with { Status = PipelineRunStatus.Interrupted, ExitCode = RunResult.InterruptedExitCode, Message = message };
                }
            }

            outcome = await RunAttemptAsync(PipelineAttempt.Create(runsFolder, pipeline, scheduledTime, trigger, attempt), reason, abort);
            if (!outcome.Retryable || stopping.IsCancellationRequested || abort.IsCancellationRequested)
            {
                break;
            }
        }

        return outcome;
    }

    private async Task<PipelineRunOutcome> RunAttemptAsync(PipelineAttempt attempt, string? reason, CancellationToken abort)
    {
        var started = timeProvider.GetUtcNow();
        var id = store.Start(attempt.Pipeline.Name, attempt.ScheduledTime, attempt.Trigger, attempt.Attempt, started, attempt.OutputPath, attempt.LogPath, reason);
        observer.AttemptStarted(attempt);
        PipelineRunOutcome outcome;
        try
        {
            outcome = await executor.RunAsync(attempt, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            outcome = new PipelineRunOutcome(PipelineRunStatus.Interrupted, RunResult.InterruptedExitCode, "the scheduler stopped the run after its grace period");
        }
        catch (Exception e)
        {
            outcome = new PipelineRunOutcome(PipelineRunStatus.Failed, 1, $"{e.GetType().Name}: {e.Message}");
        }

        if (outcome.Status == PipelineRunStatus.Interrupted && abort.IsCancellationRequested)
        {
            outcome = outcome with { Message = "the scheduler stopped the run after its grace period" };
        }

        var ended = timeProvider.GetUtcNow();
        store.Finish(id, outcome.Status, ended, outcome.ExitCode, outcome.Message);
        observer.AttemptFinished(attempt, outcome, ended - started);
        return outcome;
    }
}
