using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Events;

/// <summary>The value of a cell's trailing expression.</summary>
public sealed record ReturnValueProduced(IReadOnlyList<FormattedValue> Values) : KernelEvent;
