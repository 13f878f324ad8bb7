using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Events;

/// <summary>An earlier display replaced in place (<c>handle.Update(y)</c>).</summary>
public sealed record DisplayedValueUpdated(IReadOnlyList<FormattedValue> Values, string DisplayId) : KernelEvent;
