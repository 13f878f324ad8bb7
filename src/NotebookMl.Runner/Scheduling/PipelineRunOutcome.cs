namespace NotebookMl.Runner.Scheduling;

/// <summary>How an attempt ended.</summary>
/// <param name="Status">Its history status.</param>
/// <param name="ExitCode">The exit code <c>notebookml run</c> gives for the same outcome.</param>
/// <param name="Message">One line: the error, if any.</param>
public sealed record PipelineRunOutcome(PipelineRunStatus Status, int ExitCode, string? Message)
{
    /// <summary>True when another attempt may help: a cell failed, the kernel died, it timed out or the runner failed.</summary>
    public bool Retryable => Status is PipelineRunStatus.CellFailed or PipelineRunStatus.KernelDied or PipelineRunStatus.TimedOut or PipelineRunStatus.Failed;
}
