namespace NotebookMl.Kernel.Events;

/// <summary>The command finished without error. Always the last event of a command.</summary>
public sealed record CommandSucceeded : KernelEvent;
