namespace NotebookMl.Kernel.Execution;

/// <summary>A variable a cell declared: its name, declared type and current value.</summary>
internal sealed record SubmissionVariable(string Name, Type Type, object? Value);
