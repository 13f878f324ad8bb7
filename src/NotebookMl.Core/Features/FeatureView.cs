namespace NotebookMl.Core.Features;

/// <summary>
/// A named group of features of one or more entities, computed from a source (a Parquet, CSV or Arrow
/// file, or a registered DataFrame) by an optional SQL query (over the relation <c>source</c>) and/or
/// windowed aggregates, each row stamped with an event time (and optionally a created time, which
/// breaks ties between rows of the same key and event time). A row is valid for <see cref="Ttl"/> after
/// its event time.
/// </summary>
public sealed record FeatureView
{
    /// <summary>The view's name.</summary>
    public required string Name { get; init; }

    /// <summary>The entities whose join keys identify a row.</summary>
    public required IReadOnlyList<string> Entities { get; init; }

    /// <summary>The source: a file path (relative to the definitions file or the workspace) or <c>dataframe:NAME</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The event-time column of the view's rows (after the query); default <c>event_timestamp</c>.</summary>
    public string TimestampColumn { get; init; } = "event_timestamp";

    /// <summary>The created-time column, if any.</summary>
    public string? CreatedTimestampColumn { get; init; }

    /// <summary>How long a row stays valid after its event time; null: forever.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>The features and their types.</summary>
    public required IReadOnlyList<Feature> Features { get; init; }

    /// <summary>An optional SQL query over <c>source</c> producing the view's rows (DuckDB dialect).</summary>
    public string? Query { get; init; }

    /// <summary>Windowed aggregates added to the rows (computed after <see cref="Query"/>).</summary>
    public IReadOnlyList<WindowAggregate> Aggregates { get; init; } = [];

    /// <summary>What it holds.</summary>
    public string? Description { get; init; }
}
