namespace NotebookMl.Kernel.Events;

/// <summary>Text a running cell wrote to the console, delivered while the cell still runs.</summary>
public sealed record StandardStreamTextProduced(StandardStream Stream, string Text) : KernelEvent;
