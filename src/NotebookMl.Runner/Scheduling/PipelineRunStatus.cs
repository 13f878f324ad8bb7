namespace NotebookMl.Runner.Scheduling;

/// <summary>The status of one attempt in the run history.</summary>
public enum PipelineRunStatus
{
    /// <summary>The attempt is running now (or its process died; the next scheduler start marks those interrupted).</summary>
    Running,

    /// <summary>Every cell ran.</summary>
    Succeeded,

    /// <summary>A cell raised an error.</summary>
    CellFailed,

    /// <summary>The kernel process died.</summary>
    KernelDied,

    /// <summary>A cell or the whole run passed its timeout.</summary>
    TimedOut,

    /// <summary>The scheduler stopped (SIGTERM, Ctrl-C) before the run finished, or the process running it died.</summary>
    Interrupted,

    /// <summary>The occurrence came due while the previous run was going and the overlap policy is skip.</summary>
    Skipped,

    /// <summary>The runner itself failed (an unexpected error, such as a full disk); the message says why.</summary>
    Failed,

    /// <summary>The pipeline could not start: a missing notebook, an unknown parameter or kernel.</summary>
    BadInput,
}
