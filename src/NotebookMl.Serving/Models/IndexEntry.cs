namespace NotebookMl.Serving.Models;

/// <summary>A row of the repository index: a model, its version (null when none serves), its state (READY, UNAVAILABLE) and why.</summary>
public sealed record IndexEntry(string Name, int? Version, string State, string? Reason);
