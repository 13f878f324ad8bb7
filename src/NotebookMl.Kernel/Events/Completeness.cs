namespace NotebookMl.Kernel.Events;

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
