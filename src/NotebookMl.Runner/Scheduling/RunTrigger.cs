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

    /// <summary>Its drift trigger fired: the model's traffic moved from its training data.</summary>
    Drift,

    /// <summary>Its performance trigger fired: a metric on labeled traffic left its bounds.</summary>
    Performance,
}
