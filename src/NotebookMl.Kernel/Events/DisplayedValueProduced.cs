using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Events;

/// <summary>A value shown with <c>display(x)</c>; <paramref name="DisplayId"/> lets it be updated later.</summary>
public sealed record DisplayedValueProduced(IReadOnlyList<FormattedValue> Values, string DisplayId) : KernelEvent;
