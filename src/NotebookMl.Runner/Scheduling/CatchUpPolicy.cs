namespace NotebookMl.Runner.Scheduling;

/// <summary>What the scheduler does, when it starts, with occurrences missed while it was down.</summary>
public enum CatchUpPolicy
{
    /// <summary>Missed occurrences are not run; the schedule resumes at the next one.</summary>
    None,

    /// <summary>Only the most recent missed occurrence runs (one run brings the output up to date).</summary>
    Latest,

    /// <summary>Every missed occurrence runs, oldest first, one after another (a backfill).</summary>
    All,
}
