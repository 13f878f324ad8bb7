namespace NotebookMl.Runner;

/// <summary>The outcome of a run: how it ended, where the executed notebook is, and what failed.</summary>
/// <param name="Status">How the run ended.</param>
/// <param name="OutputPath">The executed notebook, saved after every cell.</param>
/// <param name="CellsRun">How many code cells ran.</param>
/// <param name="FailedCell">The 1-based number of the cell that failed (of all cells), if one did.</param>
/// <param name="Message">One line: the error, with the cell and its first line.</param>
public sealed record RunResult(RunStatus Status, string OutputPath, int CellsRun, int? FailedCell, string? Message)
{
    /// <summary>Bad input (a missing file, a malformed notebook, an unknown kernel or parameter).</summary>
    public const int BadInputExitCode = 2;

    /// <summary>Interrupted (Ctrl-C, SIGTERM), as a shell reports SIGINT.</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>The process exit code for <see cref="Status"/>: 0 ok, 1 cell failed, 3 kernel died, 4 timed out, 130 interrupted.</summary>
    public int ExitCode => Status switch
    {
        RunStatus.Succeeded => 0,
        RunStatus.CellFailed => 1,
        RunStatus.KernelDied => 3,
        RunStatus.TimedOut => 4,
        _ => InterruptedExitCode,
    };
}
