namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// Runs pipelines on their cron schedules until stopped. Time comes from the injected
/// <see cref="TimeProvider"/>. On start it resumes each pipeline from its watermark in the store and
/// applies the catch-up policy to what it missed; a pipeline that comes due while its previous run is
/// going is skipped or queued (its overlap policy); pipelines run side by side. When stopped it starts
/// nothing new, records queued occurrences as interrupted, gives running ones the grace period, then
/// stops them (recorded as interrupted).
/// </summary>
public sealed class PipelineScheduler
{
    /// <summary>At most this many missed occurrences are caught up per pipeline (catch_up: all after a long outage).</summary>
    public const int MaxCatchUp = 1000;

    private readonly PipelineConfiguration _configuration;
    private readonly RunHistoryStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ISchedulerObserver _observer;
    private readonly PipelineRunCoordinator _coordinator;
    private readonly SemaphoreSlim _wake = new(0);
    private Task? _woken;

    /// <summary>Creates a scheduler for <paramref name="configuration"/>'s enabled pipelines.</summary>
    public PipelineScheduler(PipelineConfiguration configuration, RunHistoryStore store, IPipelineExecutor executor, TimeProvider timeProvider, ISchedulerObserver observer)
    {
        _configuration = configuration;
        _store = store;
        _timeProvider = timeProvider;
        _observer = observer;
        _coordinator = new PipelineRunCoordinator(store, executor, timeProvider, observer, configuration.RunsFolder);
    }

    /// <summary>
    /// Runs until <paramref name="stopping"/> is cancelled, then shuts down gracefully (see the class
    /// summary); <paramref name="abortNow"/> (a second Ctrl-C) ends the grace period at once.
    /// </summary>
    public async Task RunAsync(CancellationToken abortNow, CancellationToken stopping)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(abortNow);
        var states = Resume();
        while (!stopping.IsCancellationRequested)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var state in states)
            {
                Collect(state);
                Dispatch(state, now);
                StartNext(state, stopping, abort.Token);
            }

            var due = NextDue(states, now);
            _observer.Idle(now, due);
            await WaitAsync(due, stopping);
        }

        await ShutDownAsync(states, abort);
    }

    /// <summary>Makes the loop look at the clock again now (after the clock jumped, or to know it is idle).</summary>
    public void Wake() => _wake.Release();

    private List<PipelineState> Resume()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var orphan in _store.MarkOrphansInterrupted(now))
        {
            _observer.OrphanFound(orphan);
        }

        var states = new List<PipelineState>();
        foreach (var pipeline in _configuration.Pipelines.Where(p => p.Enabled))
        {
            var watermark = _store.Watermark(pipeline.Name);
            var state = new PipelineState(pipeline, now);
            _observer.Resumed(pipeline, watermark, pipeline.Schedule.NextAfter(now));
            // A triggered pipeline looks at the traffic of now: what it missed while down is not caught up.
            if (watermark is { } since && pipeline.Trigger is null)
            {
                var missed = pipeline.Schedule.Between(since, now).ToList();
                if (missed.Count > 0)
                {
                    _observer.Missed(pipeline, missed.Count, pipeline.CatchUp);
                }

                var runs = pipeline.CatchUp switch
                {
                    CatchUpPolicy.All => missed.TakeLast(MaxCatchUp),
                    CatchUpPolicy.Latest => missed.TakeLast(1),
                    _ => [],
                };
                foreach (var time in runs)
                {
                    state.Queue.Enqueue((time, RunTrigger.CatchUp, null));
                    _observer.Queued(pipeline, time, RunTrigger.CatchUp);
                }
            }

            _store.SetWatermark(pipeline.Name, now);
            states.Add(state);
        }

        return states;
    }

    private void Collect(PipelineState state)
    {
        if (state.Active is { IsCompleted: true } done)
        {
            if (done.Exception is { } e)
            {
                _observer.Error($"pipeline {state.Pipeline.Name}: {e.GetBaseException().Message}");
            }

            state.Active = null;
        }
    }

    private void Dispatch(PipelineState state, DateTimeOffset now)
    {
        if (state.Pipeline.Trigger is { } trigger)
        {
            CheckTrigger(state, trigger, now);
            return;
        }

        var due = state.Pipeline.Schedule.Between(state.Watermark, now).TakeLast(MaxCatchUp).ToList();
        foreach (var time in due)
        {
            if ((state.Active is not null || state.Queue.Count > 0) && state.Pipeline.Overlap == OverlapPolicy.Skip)
            {
                var reason = $"the previous run of {state.Pipeline.Name} was still going (overlap: skip)";
                _store.RecordNotRun(state.Pipeline.Name, time, RunTrigger.Schedule, PipelineRunStatus.Skipped, now, reason);
                _observer.Skipped(state.Pipeline, time, reason);
                continue;
            }

            state.Queue.Enqueue((time, RunTrigger.Schedule, null));
            if (state.Active is not null)
            {
                _observer.Queued(state.Pipeline, time, RunTrigger.Schedule);
            }
        }

        if (due.Count > 0)
        {
            state.Watermark = due[^1];
            _store.SetWatermark(state.Pipeline.Name, state.Watermark);
        }
    }

    /// <summary>
    /// At the latest check time that came due, checks the trigger; when it fires (and its cooldown since the last firing
    /// has passed) the run is queued with the statistic that fired it. A check that cannot be made (the model is unknown)
    /// is reported and the next one tried.
    /// </summary>
    private void CheckTrigger(PipelineState state, PipelineTrigger trigger, DateTimeOffset now)
    {
        var due = state.Pipeline.Schedule.Between(state.Watermark, now).LastOrDefault();
        if (due == default)
        {
            return;
        }

        state.Watermark = due;
        _store.SetWatermark(state.Pipeline.Name, due);
        TriggerCheck check;
        try
        {
            state.LastFired ??= trigger.LastFired(_store, state.Pipeline.Name);
            check = trigger.Check(_configuration.Workspace, now, state.LastFired);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The scheduler keeps serving its other pipelines; the next check tries again.
            _observer.Error($"pipeline {state.Pipeline.Name}: its trigger could not be checked: {e.Message}");
            return;
        }

        _observer.TriggerChecked(state.Pipeline, due, check);
        if (!check.Fired)
        {
            return;
        }

        if ((state.Active is not null || state.Queue.Count > 0) && state.Pipeline.Overlap == OverlapPolicy.Skip)
        {
            var reason = $"the previous run of {state.Pipeline.Name} was still going (overlap: skip)";
            _store.RecordNotRun(state.Pipeline.Name, due, trigger.Kind, PipelineRunStatus.Skipped, now, reason, check.Reason);
            _observer.Skipped(state.Pipeline, due, reason);
            return;
        }

        state.LastFired = now;
        state.Queue.Enqueue((due, trigger.Kind, check.Reason));
        _observer.Queued(state.Pipeline, due, trigger.Kind);
    }

    private void StartNext(PipelineState state, CancellationToken stopping, CancellationToken abort)
    {
        if (state.Active is not null || !state.Queue.TryDequeue(out var next))
        {
            return;
        }

        state.Active = Task.Run(() => _coordinator.RunAsync(state.Pipeline, next.Time, next.Trigger, stopping, abort, next.Reason));
        // Woken once the run has completed, so the loop's next look finds it done and starts what is queued.
        state.Active.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static DateTimeOffset NextDue(List<PipelineState> states, DateTimeOffset now) =>
        states.Select(s => s.Pipeline.Schedule.NextAfter(s.Watermark)).Where(t => t is not null).Min() ?? now.AddDays(1);

    private async Task WaitAsync(DateTimeOffset due, CancellationToken stopping)
    {
        // One wake-up waiter at a time, kept across waits until it completes. A waiter cancelled when
        // the timer wins stays queued in the semaphore until a thread-pool thread removes it, and a
        // wake-up released meanwhile would go to it and be lost.
        _woken ??= _wake.WaitAsync(stopping);
        try
        {
            await _timeProvider.DelayUntilAsync(due, _woken, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        if (_woken.IsCompleted)
        {
            _woken = null;
        }
    }

    private async Task ShutDownAsync(List<PipelineState> states, CancellationTokenSource abort)
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var state in states)
        {
            while (state.Queue.TryDequeue(out var queued))
            {
                _store.RecordNotRun(state.Pipeline.Name, queued.Time, queued.Trigger, PipelineRunStatus.Interrupted, now, "the scheduler stopped before the run started", queued.Reason);
            }
        }

        var running = states.Where(s => s.Active is not null).Select(s => s.Active!).ToArray();
        _observer.Stopping(running.Length, _configuration.GracePeriod);
        var all = Task.WhenAll(running);
        await _timeProvider.DelayUntilAsync(now + _configuration.GracePeriod, all, CancellationToken.None);
        if (!all.IsCompleted)
        {
            await abort.CancelAsync();
        }

        try
        {
            await all;
        }
        catch (Exception e)
        {
            _observer.Error(e.GetBaseException().Message);
        }
    }

    private sealed class PipelineState(PipelineDefinition pipeline, DateTimeOffset watermark)
    {
        public PipelineDefinition Pipeline { get; } = pipeline;

        public DateTimeOffset Watermark { get; set; } = watermark;

        public Queue<(DateTimeOffset Time, RunTrigger Trigger, string? Reason)> Queue { get; } = new();

        public Task? Active { get; set; }

        /// <summary>When its trigger last fired (from the history at the first check).</summary>
        public DateTimeOffset? LastFired { get; set; }
    }
}
