namespace NotebookMl.Core.Features;

/// <summary>What features describe (an airport, a route): a name and the columns that identify one.</summary>
/// <param name="Name">The entity's name.</param>
/// <param name="JoinKeys">The key columns, in entity rows and in feature view sources alike.</param>
/// <param name="Description">What it is.</param>
public sealed record Entity(string Name, IReadOnlyList<string> JoinKeys, string? Description = null);
