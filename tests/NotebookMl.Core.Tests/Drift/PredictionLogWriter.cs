using System.Globalization;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Tests.Drift;

/// <summary>
/// Writes prediction log files as the endpoint does (the same columns and folders, published to a shared store's
/// monitoring index), with DuckDB, for tests without a server.
/// </summary>
internal static class PredictionLogWriter
{
    /// <summary>One Parquet file of <paramref name="model"/>'s log: a served row per distance at <paramref name="time"/>, origins in turn.</summary>
    public static void Write(WorkspaceLocation workspace, string model, DateTimeOffset time, double[] distances, string[] origins)
    {
        var folder = Path.Combine(workspace.StateFolder, "predictions", model, $"date={time:yyyy-MM-dd}");
        Directory.CreateDirectory(folder);
        var values = string.Join(", ", distances.Select((d, i) => string.Create(CultureInfo.InvariantCulture,
            $"(TIMESTAMP '{time.UtcDateTime:yyyy-MM-dd HH:mm:ss}', 1, 'default', 'e-{i}', 'r{i}', 0, 0.2, NULL, {d}, '{origins[i % origins.Length]}', 0.5)")));
        using var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duckdb.Open();
        using var command = duckdb.CreateCommand();
        var path = Path.Combine(folder, $"part-{time:HHmmss}-{Guid.NewGuid():N}.parquet");
        command.CommandText = $"""
            COPY (SELECT * FROM (VALUES {values}) AS t(time, version, route, entry, request_id, row, latency_ms, fallback, distance, origin, probability))
            TO '{path}' (FORMAT parquet)
            """;
        command.ExecuteNonQuery();
        MonitoringFiles.Publish(workspace, MonitoringFiles.Predictions, model, path, time);
    }
}
