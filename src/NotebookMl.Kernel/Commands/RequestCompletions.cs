namespace NotebookMl.Kernel.Commands;

/// <summary>Asks for completions at <paramref name="Position"/> (a UTF-16 offset into <paramref name="Code"/>).</summary>
public sealed record RequestCompletions(string Code, int Position) : KernelCommand;
