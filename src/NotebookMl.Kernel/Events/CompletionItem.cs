namespace NotebookMl.Kernel.Events;

/// <summary>One completion: the text to insert and what kind of symbol it is (Method, Property, Keyword…).</summary>
public sealed record CompletionItem(string DisplayText, string InsertText, string Kind);
