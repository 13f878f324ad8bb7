namespace NotebookMl.Core.Features;

/// <summary>A set of entity and feature view definitions to apply, from C# or a definitions file.</summary>
/// <param name="Entities">The entities.</param>
/// <param name="Views">The feature views.</param>
/// <param name="BaseDirectory">Where relative source paths start (the definitions file's folder).</param>
public sealed record FeatureDefinitions(IReadOnlyList<Entity> Entities, IReadOnlyList<FeatureView> Views, string? BaseDirectory = null);
