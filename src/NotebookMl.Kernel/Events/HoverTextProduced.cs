using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Events;

/// <summary>Documentation of a symbol; <paramref name="Values"/> is empty when nothing was found.</summary>
public sealed record HoverTextProduced(IReadOnlyList<FormattedValue> Values) : KernelEvent;
