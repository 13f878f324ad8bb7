namespace NotebookMl.Kernel.Events;

/// <summary>Something the kernel did or produced. Events are named in the past tense.</summary>
public abstract record KernelEvent;
