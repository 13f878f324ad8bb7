using System.Globalization;
using DuckDB.NET.Data;
using NotebookMl.Core.Data;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Predictions;

/// <summary>
/// Where the endpoint's prediction log lies and how to query it: Parquet files under
/// <c>.notebookml/predictions/MODEL/date=YYYY-MM-DD/part-*.parquet</c>, one row per input row with the columns
/// time, version, route (default, canary, shadow, version), entry, request_id, row, latency_ms, fallback, error (why a shadow
/// gave no answer; absent from logs written before it), then one per input and output (NAME, or NAME_0, NAME_1, … for a tensor
/// wider than one value per row).
/// </summary>
public static class PredictionLogFiles
{
    /// <summary>The log's folder in <paramref name="workspace"/>.</summary>
    public static string Folder(WorkspaceLocation workspace) => Path.Combine(workspace.StateFolder, MonitoringFiles.Predictions);

    /// <summary>
    /// The Parquet files of <paramref name="model"/> written so far (none: an empty list), in this workspace and, on a shared
    /// store, by every endpoint on it (<see cref="MonitoringFiles"/>); only the days from <paramref name="since"/> on when given.
    /// </summary>
    public static IReadOnlyList<string> Files(WorkspaceLocation workspace, string model, DateTimeOffset? since = null)
    {
        // A file holds the rows of one day (date=YYYY-MM-DD/part-….parquet), so days before the first asked for are never read.
        var first = since is { } from ? "date=" + from.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        return MonitoringFiles.Files(workspace, MonitoringFiles.Predictions, model,
            first is null ? null : name => !name.StartsWith("date=", StringComparison.Ordinal) || string.CompareOrdinal(name, 0, first, 0, first.Length) >= 0);
    }

    /// <summary>
    /// A DuckDB relation over the log of <paramref name="model"/> (rows from <paramref name="since"/> on when given), or null
    /// when nothing was logged yet.
    /// </summary>
    public static string? Relation(WorkspaceLocation workspace, string model, DateTimeOffset? since = null)
    {
        if (Files(workspace, model, since) is not { Count: > 0 } files)
        {
            return null;
        }

        var where = since is { } from ? $" WHERE time >= TIMESTAMP '{from.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'" : "";
        return $"(SELECT * FROM read_parquet({DuckDbSql.List(files)}, union_by_name = true, hive_partitioning = false){where})";
    }

    /// <summary>The columns of <paramref name="relation"/>, in order, with their DuckDB types (DOUBLE, BIGINT, VARCHAR, …).</summary>
    public static IReadOnlyList<(string Name, string Type)> Columns(DuckDBConnection connection, string relation)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {relation}";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>A condition on the log's rows that keeps those with an answer (a failed shadow mirror has none).</summary>
    public static string Answered(IReadOnlyList<(string Name, string Type)> columns) => columns.Any(c => c.Name == "error") ? "error IS NULL" : "TRUE";

    /// <summary>The log's columns that hold output <paramref name="output"/>: NAME, or NAME_0, NAME_1, ….</summary>
    public static IReadOnlyList<(string Name, string Type)> OutputColumns(IReadOnlyList<(string Name, string Type)> columns, string output) =>
        columns.Where(c => c.Name == output || (c.Name.StartsWith(output + "_", StringComparison.Ordinal) && c.Name[(output.Length + 1)..].All(char.IsAsciiDigit))).ToArray();

    /// <summary>Runs <paramref name="sql"/> and returns its rows (DBNull as null).</summary>
    public static List<object?[]> Rows(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        }

        return rows;
    }

    /// <summary>An open in-memory DuckDB connection to query the log with.</summary>
    public static DuckDBConnection Connect()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    /// <summary>Quotes <paramref name="column"/> for DuckDB SQL.</summary>
    public static string Quote(string column) => "\"" + column.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
