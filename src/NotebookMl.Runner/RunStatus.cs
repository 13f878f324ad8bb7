namespace NotebookMl.Runner;

/// <summary>How a headless run ended; each has its own exit code (see <see cref="RunResult.ExitCode"/>).</summary>
public enum RunStatus
{
    /// <summary>Every cell ran (failures allowed by <c>--allow-errors</c> or <c>raises-exception</c> included). Exit code 0.</summary>
    Succeeded,

    /// <summary>A cell raised an error. Exit code 1.</summary>
    CellFailed,

    /// <summary>The kernel process died. Exit code 3.</summary>
    KernelDied,

    /// <summary>A cell or the whole run passed its time limit. Exit code 4.</summary>
    TimedOut,

    /// <summary>The run was cancelled (Ctrl-C, SIGTERM). Exit code 130.</summary>
    Interrupted,
}
