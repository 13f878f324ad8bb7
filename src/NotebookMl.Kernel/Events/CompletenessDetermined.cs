namespace NotebookMl.Kernel.Events;

/// <summary>Whether a submission is complete; <paramref name="Indent"/> is the suggested indent when incomplete.</summary>
public sealed record CompletenessDetermined(Completeness Status, string Indent) : KernelEvent;

/// <summary>Jupyter's is_complete statuses.</summary>
public enum Completeness
{
    /// <summary>Ready to run.</summary>
    Complete,

    /// <summary>More lines are needed (an open brace, a dangling operator).</summary>
    Incomplete,

    /// <summary>Complete but with syntax errors: running it would fail.</summary>
    Invalid,
}
