namespace NotebookMl.Kernel;

/// <summary>A variable declared by a cell: its name, declared type and current value.</summary>
public sealed record KernelVariable(string Name, Type Type, object? Value);
