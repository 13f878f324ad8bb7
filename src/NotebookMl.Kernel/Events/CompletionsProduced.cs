namespace NotebookMl.Kernel.Events;

/// <summary>Completions for the text between <paramref name="Start"/> and <paramref name="End"/> (UTF-16 offsets).</summary>
public sealed record CompletionsProduced(IReadOnlyList<CompletionItem> Items, int Start, int End) : KernelEvent;
