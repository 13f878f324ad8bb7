namespace NotebookMl.Kernel.Commands;

/// <summary>A request to the kernel. Commands are named imperatively; the kernel answers with events.</summary>
public abstract record KernelCommand;
