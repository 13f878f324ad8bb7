using System.Collections.Concurrent;
using System.Threading.Channels;
using NotebookMl.Runner.Scheduling;

namespace NotebookMl.Runner.Tests.Scheduling;

/// <summary>
/// Stands in for the notebook runner in fake-clock scheduler tests (the real runner has its own
/// tests, and one real scheduled run goes through it): records each attempt, and either ends it at
/// once with the next scripted outcome or holds it until the test releases it.
/// </summary>
internal sealed class ScriptedExecutor : IPipelineExecutor
{
    private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();

    public static PipelineRunOutcome Success { get; } = new(PipelineRunStatus.Succeeded, 0, null);

    public static PipelineRunOutcome CellFailure { get; } = new(PipelineRunStatus.CellFailed, 1, "cell 2: boom");

    /// <summary>Outcomes for the next calls, in order; success once empty.</summary>
    public ConcurrentQueue<PipelineRunOutcome> Outcomes { get; } = new();

    /// <summary>True: each call waits for <see cref="Call.Release"/> (or cancellation, which ends it interrupted).</summary>
    public bool Hold { get; set; }

    public async Task<PipelineRunOutcome> RunAsync(PipelineAttempt attempt, CancellationToken cancellationToken)
    {
        var call = new Call(attempt);
        await _calls.Writer.WriteAsync(call, CancellationToken.None);
        if (Hold)
        {
            using var registration = cancellationToken.Register(() => call.Released.TrySetResult(new PipelineRunOutcome(PipelineRunStatus.Interrupted, 130, "the run was interrupted")));
            return await call.Released.Task;
        }

        return Outcomes.TryDequeue(out var outcome) ? outcome : Success;
    }

    /// <summary>The next attempt the scheduler starts (fails the test after 10 s of real time).</summary>
    public async Task<Call> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _calls.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True if an attempt was started and not yet taken with <see cref="NextAsync"/>.</summary>
    public bool HasPending => _calls.Reader.TryPeek(out _);

    internal sealed class Call(PipelineAttempt attempt)
    {
        public PipelineAttempt Attempt { get; } = attempt;

        public TaskCompletionSource<PipelineRunOutcome> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release(PipelineRunOutcome? outcome = null) => Released.TrySetResult(outcome ?? Success);
    }
}
