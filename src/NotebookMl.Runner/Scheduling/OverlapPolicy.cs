namespace NotebookMl.Runner.Scheduling;

/// <summary>What happens when a pipeline comes due while its previous run (or its retries) is still going.</summary>
public enum OverlapPolicy
{
    /// <summary>The new occurrence is not run; history records it as skipped.</summary>
    Skip,

    /// <summary>The new occurrence waits and runs when the previous one ends.</summary>
    Queue,
}
