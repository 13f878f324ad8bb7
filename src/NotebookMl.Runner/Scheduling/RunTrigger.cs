namespace NotebookMl.Runner.Scheduling;

/// <summary>Why a pipeline run happened.</summary>
public enum RunTrigger
{
    /// <summary>Its cron schedule came due while the scheduler was running.</summary>
    Schedule,

    /// <summary>It was missed while the scheduler was down and run by the catch-up policy.</summary>
    CatchUp,

    /// <summary><c>notebookml schedule trigger</c>.</summary>
    Manual,
}
