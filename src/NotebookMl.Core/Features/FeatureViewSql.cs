using System.Globalization;

using NotebookMl.Core.Data;

namespace NotebookMl.Core.Features;

/// <summary>
/// The DuckDB SQL of a feature view's rows: join keys, <c>event_timestamp</c>, <c>created_timestamp</c>
/// and the features, one row per key and event time (the latest created wins).
/// </summary>
internal static class FeatureViewSql
{
    /// <param name="view">The definition.</param>
    /// <param name="keys">The join keys of its entities.</param>
    /// <param name="sourceRelation">The source as DuckDB reads it.</param>
    /// <param name="latestCreatedOnly">
    /// False keeps every row of a key and event time, for a reader that sorts them by created time and takes the last.
    /// </param>
    public static string Rows(FeatureView view, IReadOnlyList<string> keys, string sourceRelation, bool latestCreatedOnly = true)
    {
        var query = view.Query is null
            ? $"SELECT * FROM {sourceRelation}"
            : $"WITH source AS (SELECT * FROM {sourceRelation}) {view.Query.Trim().TrimEnd(';')}";
        var timestamp = DuckDbSql.Quote(view.TimestampColumn);
        if (view.Aggregates.Count > 0)
        {
            var partition = string.Join(", ", keys.Select(DuckDbSql.Quote));
            var aggregates = view.Aggregates.Select(a =>
                $"{a.Function}({DuckDbSql.Quote(a.Column)}) OVER (PARTITION BY {partition} ORDER BY {timestamp} " +
                $"RANGE BETWEEN INTERVAL '{DuckDbSql.Seconds(a.Window)} seconds' PRECEDING AND {(a.IncludeCurrent ? "CURRENT ROW" : "INTERVAL '1 microsecond' PRECEDING")}) AS {DuckDbSql.Quote(a.Name)}");
            query = $"SELECT *, {string.Join(", ", aggregates)} FROM ({query})";
        }

        var created = view.CreatedTimestampColumn is { } c ? $"CAST({DuckDbSql.Quote(c)} AS TIMESTAMP)" : "CAST(NULL AS TIMESTAMP)";
        var features = view.Features.Select(f => $"CAST({DuckDbSql.Quote(f.Name)} AS {SqlType(f.Type)}) AS {DuckDbSql.Quote(f.Name)}");
        var keyList = string.Join(", ", keys.Select(DuckDbSql.Quote));
        return $"""
            SELECT {keyList}, CAST({timestamp} AS TIMESTAMP) AS event_timestamp, {created} AS created_timestamp, {string.Join(", ", features)}
            FROM ({query})
            WHERE {timestamp} IS NOT NULL
            {(latestCreatedOnly ? $"QUALIFY row_number() OVER (PARTITION BY {keyList}, {timestamp} ORDER BY {created} DESC NULLS LAST) = 1" : "")}
            """;
    }

    public static string SqlType(FeatureType type) => type switch
    {
        FeatureType.Int64 => "BIGINT",
        FeatureType.Double => "DOUBLE",
        FeatureType.Bool => "BOOLEAN",
        FeatureType.Timestamp => "TIMESTAMP",
        _ => "VARCHAR",
    };
}
