namespace NotebookMl.Kernel.Commands;

/// <summary>Asks for the documentation of the symbol at <paramref name="Position"/> (a UTF-16 offset).</summary>
public sealed record RequestHoverText(string Code, int Position) : KernelCommand;
