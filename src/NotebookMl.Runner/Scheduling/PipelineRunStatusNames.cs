namespace NotebookMl.Runner.Scheduling;

/// <summary>How statuses are written in the store, the CLI and JSON: snake_case words.</summary>
public static class PipelineRunStatusNames
{
    /// <summary>The stored name of <paramref name="status"/>, e.g. <c>cell_failed</c>.</summary>
    public static string ToName(this PipelineRunStatus status) => status switch
    {
        PipelineRunStatus.Running => "running",
        PipelineRunStatus.Succeeded => "succeeded",
        PipelineRunStatus.CellFailed => "cell_failed",
        PipelineRunStatus.KernelDied => "kernel_died",
        PipelineRunStatus.TimedOut => "timed_out",
        PipelineRunStatus.Interrupted => "interrupted",
        PipelineRunStatus.Skipped => "skipped",
        PipelineRunStatus.Failed => "failed",
        _ => "bad_input",
    };

    /// <summary>The status named <paramref name="name"/>.</summary>
    public static PipelineRunStatus Parse(string name) =>
        Enum.GetValues<PipelineRunStatus>().FirstOrDefault(s => s.ToName() == name, PipelineRunStatus.Interrupted);

    /// <summary>The stored name of a trigger: <c>schedule</c>, <c>catch_up</c>, <c>manual</c>, <c>drift</c> or <c>performance</c>.</summary>
    public static string ToName(this RunTrigger trigger) => trigger switch
    {
        RunTrigger.Schedule => "schedule",
        RunTrigger.CatchUp => "catch_up",
        RunTrigger.Drift => "drift",
        RunTrigger.Performance => "performance",
        _ => "manual",
    };

    /// <summary>The trigger named <paramref name="name"/>.</summary>
    public static RunTrigger ParseTrigger(string name) =>
        Enum.GetValues<RunTrigger>().FirstOrDefault(t => t.ToName() == name, RunTrigger.Manual);

    /// <summary>The history status for a runner result.</summary>
    public static PipelineRunStatus FromRun(RunStatus status) => status switch
    {
        RunStatus.Succeeded => PipelineRunStatus.Succeeded,
        RunStatus.CellFailed => PipelineRunStatus.CellFailed,
        RunStatus.KernelDied => PipelineRunStatus.KernelDied,
        RunStatus.TimedOut => PipelineRunStatus.TimedOut,
        _ => PipelineRunStatus.Interrupted,
    };
}
