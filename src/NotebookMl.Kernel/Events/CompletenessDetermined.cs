namespace NotebookMl.Kernel.Events;

/// <summary>Whether a submission is complete; <paramref name="Indent"/> is the suggested indent when incomplete.</summary>
public sealed record CompletenessDetermined(Completeness Status, string Indent) : KernelEvent;
