namespace NotebookMl.Core.Features.Historical;

/// <summary>A feature view as historical retrieval needs it: SQL already written by the feature store.</summary>
/// <param name="Name">The view's name.</param>
/// <param name="JoinKeys">The columns that join entity rows to view rows.</param>
/// <param name="Ttl">How long a view row stays valid after its event time; null: forever.</param>
/// <param name="Rows">SQL of the view's rows, the latest created one per key and event time.</param>
/// <param name="AllRows">SQL of all the view's rows (with <c>created_timestamp</c>), for the in-memory join.</param>
/// <param name="SourceFile">The file the view reads, whose rows may be kept between calls; null for a DataFrame or Arrow source (a temporary table of the session).</param>
/// <param name="Columns">The features wanted from it and the output column each becomes.</param>
public sealed record HistoricalView(
    string Name, IReadOnlyList<string> JoinKeys, TimeSpan? Ttl, string Rows, string AllRows, string? SourceFile, IReadOnlyList<(string Feature, string Name)> Columns);

/// <summary>The entity rows of a retrieval: a relation of the session (a file or a registered DataFrame), and the DataFrame itself when there is one.</summary>
/// <param name="Relation">The relation, registered on first call.</param>
/// <param name="Frame">The DataFrame the rows came from, if any.</param>
/// <param name="RowCount">The number of rows when known in advance (a Parquet footer), to size columns.</param>
public sealed record HistoricalEntities(Func<string> Relation, Microsoft.Data.Analysis.DataFrame? Frame, int? RowCount);
