namespace NotebookMl.Kernel.Commands;

/// <summary>Asks whether <paramref name="Code"/> is a complete submission (Jupyter's is_complete).</summary>
public sealed record RequestCompleteness(string Code) : KernelCommand;
