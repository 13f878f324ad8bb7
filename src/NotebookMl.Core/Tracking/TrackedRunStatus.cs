namespace NotebookMl.Core.Tracking;

/// <summary>The state of a tracked run, as MLflow names them.</summary>
public enum TrackedRunStatus
{
    /// <summary>Logging; its process is alive.</summary>
    Running,

    /// <summary>Ended normally.</summary>
    Finished,

    /// <summary>Ended by an error (<see cref="TrackedRun.Fail"/>).</summary>
    Failed,

    /// <summary>Its process died without ending it (found and marked when runs are read), or it was ended as killed.</summary>
    Killed,
}
