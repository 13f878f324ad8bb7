namespace NotebookMl.Core.Features;

/// <summary>A registered feature view with its version and the keys of its entities.</summary>
/// <param name="View">The definition.</param>
/// <param name="Version">Its version in the registry.</param>
/// <param name="JoinKeys">The join keys of its entities, in order.</param>
/// <param name="BaseDirectory">Where its relative source path starts.</param>
public sealed record FeatureViewInfo(FeatureView View, int Version, IReadOnlyList<string> JoinKeys, string? BaseDirectory);

/// <summary>What applying definitions did.</summary>
/// <param name="Kind"><c>entity</c> or <c>feature_view</c>.</param>
/// <param name="Name">Its name.</param>
/// <param name="Version">Its version now.</param>
/// <param name="Changed">True when this apply created that version.</param>
public sealed record AppliedDefinition(string Kind, string Name, int Version, bool Changed);

/// <summary>The result of a historical retrieval: the training frame and the lineage of its features.</summary>
/// <param name="Frame">The entity rows with the features joined point-in-time, in the entity rows' order.</param>
/// <param name="Views">Each feature view used and the version of its definition, with the columns it gave (<see cref="FeatureLineage"/>).</param>
/// <param name="OutputPath">The Parquet file written, if one was asked for.</param>
public sealed record HistoricalFeatures(Microsoft.Data.Analysis.DataFrame Frame, FeatureLineage Views, string? OutputPath);

/// <summary>What a materialization wrote.</summary>
/// <param name="View">The view.</param>
/// <param name="Start">From (inclusive).</param>
/// <param name="End">To (exclusive).</param>
/// <param name="Rows">Keys written.</param>
public sealed record Materialization(string View, DateTime Start, DateTime End, long Rows)
{
    /// <summary>The time it was made as of (its TTLs are judged then), or null: the clock's now.</summary>
    public DateTime? AsOf { get; init; }
}
