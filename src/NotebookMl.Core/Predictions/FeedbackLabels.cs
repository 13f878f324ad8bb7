using System.Globalization;
using NotebookMl.Core.Data;
using NotebookMl.Core.Options;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Predictions;

/// <summary>
/// Ground truth that arrives after the answer: labels keyed by the request's id (the <c>id</c> a caller sent, the log's
/// <c>request_id</c>) and the row within it, kept as Parquet under <c>.notebookml/feedback/MODEL/</c> (columns
/// request_id, row, label, received_at) and joined to the prediction log. A label sent again replaces the earlier one.
/// Labels are numbers; booleans count as 1 and 0. On a shared store every workspace reads every workspace's labels
/// (<see cref="MonitoringFiles"/>).
/// </summary>
public static class FeedbackLabels
{
    /// <summary>The folder of <paramref name="model"/>'s labels.</summary>
    public static string Folder(WorkspaceLocation workspace, string model) => MonitoringFiles.Folder(workspace, MonitoringFiles.Feedback, model);

    /// <summary>
    /// Copies the labels in <paramref name="path"/> (Parquet, CSV or Arrow) into <paramref name="model"/>'s feedback and says
    /// how many matched a logged answer. <paramref name="rowColumn"/> may be absent from the file (every label is row 0).
    /// </summary>
    public static FeedbackReceipt Save(WorkspaceLocation workspace, string model, string path, DateTimeOffset receivedAt, string requestIdColumn = "request_id", string labelColumn = "label", string rowColumn = "row")
    {
        using var session = new DuckDbSession();
        var relation = session.Relation(path, null, new Dictionary<string, Microsoft.Data.Analysis.DataFrame>());
        var columns = PredictionLogFiles.Columns(session.Connection, relation).ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        string Require(string column, string option) => columns.ContainsKey(column)
            ? column
            : throw new InvalidOptionException(option, $"{path} has no column '{column}'; its columns are: {string.Join(", ", columns.Keys)}.");
        var id = Require(requestIdColumn, nameof(requestIdColumn));
        var label = Require(labelColumn, nameof(labelColumn));
        if (!DuckDbSql.IsNumeric(columns[label]) && columns[label] != "BOOLEAN")
        {
            throw new InvalidDataException($"{path}: column '{label}' holds {columns[label]}; labels must be numbers or booleans (1/0, true/false).");
        }

        var row = columns.ContainsKey(rowColumn) ? $"CAST({DuckDbSql.Quote(rowColumn)} AS BIGINT)" : "CAST(0 AS BIGINT)";
        var file = Path.Combine(Folder(workspace, model), $"labels-{receivedAt.UtcDateTime.ToString("yyyyMMdd-HHmmssfff", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var select = $"""
            SELECT CAST({DuckDbSql.Quote(id)} AS VARCHAR) AS request_id, {row} AS row, CAST({DuckDbSql.Quote(label)} AS DOUBLE) AS label,
                   {DuckDbSql.Timestamp(receivedAt.UtcDateTime)} AS received_at
            FROM {relation} WHERE {DuckDbSql.Quote(id)} IS NOT NULL AND {DuckDbSql.Quote(label)} IS NOT NULL
            """;
        var counts = PredictionLogFiles.Rows(session.Connection, $"SELECT count(*), count(*) FILTER (WHERE {DuckDbSql.Quote(id)} IS NOT NULL AND {DuckDbSql.Quote(label)} IS NOT NULL) FROM {relation}")[0];
        var (read, kept) = (Convert.ToInt64(counts[0], CultureInfo.InvariantCulture), Convert.ToInt64(counts[1], CultureInfo.InvariantCulture));
        if (kept == 0)
        {
            throw new InvalidDataException($"{path} has no row with both a '{id}' and a '{label}'.");
        }

        var staging = file + ".partial";
        session.Execute($"COPY ({select}) TO {DuckDbSql.Literal(staging)} (FORMAT parquet)");
        File.Move(staging, file);
        MonitoringFiles.Publish(workspace, MonitoringFiles.Feedback, model, file, receivedAt);
        long matched = 0;
        if (PredictionLogFiles.Relation(workspace, model) is { } log)
        {
            matched = Convert.ToInt64(PredictionLogFiles.Rows(session.Connection, $"""
                SELECT count(*) FROM (SELECT DISTINCT request_id, row FROM read_parquet({DuckDbSql.Literal(file)})) f
                WHERE EXISTS (SELECT 1 FROM {log} l WHERE l.route <> 'shadow' AND CAST(l.request_id AS VARCHAR) = f.request_id AND l.row = f.row)
                """)[0][0], CultureInfo.InvariantCulture);
        }

        return new FeedbackReceipt(model, file, read, kept, matched);
    }

    /// <summary>A DuckDB relation of <paramref name="model"/>'s labels, the latest per request and row; null when none were sent.</summary>
    public static string? Relation(WorkspaceLocation workspace, string model)
    {
        if (MonitoringFiles.Files(workspace, MonitoringFiles.Feedback, model) is not { Count: > 0 } files)
        {
            return null;
        }

        var glob = DuckDbSql.List(files);
        return $"""
            (SELECT request_id, row, label FROM (
                SELECT *, row_number() OVER (PARTITION BY request_id, row ORDER BY received_at DESC) AS latest FROM read_parquet({glob}))
             WHERE latest = 1)
            """;
    }
}

/// <summary>What <see cref="FeedbackLabels.Save"/> did.</summary>
/// <param name="Model">The model.</param>
/// <param name="Path">The Parquet file written.</param>
/// <param name="Read">Rows in the file given.</param>
/// <param name="Saved">Rows with a request id and a label, saved.</param>
/// <param name="Matched">Saved (request, row) pairs that match an answer in the prediction log now.</param>
public sealed record FeedbackReceipt(string Model, string Path, long Read, long Saved, long Matched);
