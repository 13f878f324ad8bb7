using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Drift.Monitoring;

/// <summary>
/// Where drift over time is kept, so a notebook can plot it and a trigger can read it: one Parquet file per computation
/// under <c>.notebookml/monitoring/MODEL/</c>, one row per bucket and column with the columns computed_at, model, version,
/// bucket_start, bucket_end, rows, column, method, statistic, p_value, threshold, drift. <see cref="Read"/> keeps the latest
/// computation of each bucket and column. On a shared store every workspace reads every workspace's history
/// (<see cref="MonitoringFiles"/>).
/// </summary>
public static class DriftHistory
{
    /// <summary>The folder of <paramref name="model"/>'s history in <paramref name="workspace"/>.</summary>
    public static string Folder(WorkspaceLocation workspace, string model) => MonitoringFiles.Folder(workspace, MonitoringFiles.Drift, model);

    /// <summary>Appends <paramref name="timeline"/>'s buckets that had traffic, computed at <paramref name="computedAt"/>; returns the file written (null when none had traffic).</summary>
    public static string? Save(WorkspaceLocation workspace, DriftTimeline timeline, DateTimeOffset computedAt)
    {
        var rows = timeline.Buckets.Where(b => b.Report is not null).SelectMany(b => b.Report!.Columns.Select(c => (Bucket: b, Column: c))).ToArray();
        if (rows.Length == 0)
        {
            return null;
        }

        DateTime Utc(DateTimeOffset time) => time.UtcDateTime;
        var frame = new DataFrame(
            new PrimitiveDataFrameColumn<DateTime>("computed_at", rows.Select(_ => Utc(computedAt))),
            new StringDataFrameColumn("model", rows.Select(_ => timeline.Model)),
            new Int64DataFrameColumn("version", rows.Select(_ => (long?)timeline.Version)),
            new PrimitiveDataFrameColumn<DateTime>("bucket_start", rows.Select(r => Utc(r.Bucket.Start))),
            new PrimitiveDataFrameColumn<DateTime>("bucket_end", rows.Select(r => Utc(r.Bucket.End))),
            new Int64DataFrameColumn("rows", rows.Select(r => (long?)r.Bucket.Rows)),
            new StringDataFrameColumn("column", rows.Select(r => r.Column.Column)),
            new StringDataFrameColumn("method", rows.Select(r => DriftMethods.Name(r.Column.Method))),
            new DoubleDataFrameColumn("statistic", rows.Select(r => r.Column.Statistic)),
            new DoubleDataFrameColumn("p_value", rows.Select(r => r.Column.PValue)),
            new DoubleDataFrameColumn("threshold", rows.Select(r => (double?)r.Column.Threshold)),
            new BooleanDataFrameColumn("drift", rows.Select(r => (bool?)r.Column.Drift)));
        var path = Path.Combine(Folder(workspace, timeline.Model), $"drift-{computedAt.UtcDateTime.ToString("yyyyMMdd-HHmmssfff", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}.parquet");
        using (var writer = new DataFileWriter(path))
        {
            writer.Append(frame);
            writer.Complete();
        }

        MonitoringFiles.Publish(workspace, MonitoringFiles.Drift, timeline.Model, path, computedAt);
        return path;
    }

    /// <summary>
    /// <paramref name="model"/>'s drift history, the latest computation of each version, bucket, column and method, ordered
    /// by bucket and column; null when none was saved.
    /// </summary>
    public static DataFrame? Read(WorkspaceLocation workspace, string model)
    {
        if (MonitoringFiles.Files(workspace, MonitoringFiles.Drift, model) is not { Count: > 0 } files)
        {
            return null;
        }

        using var session = new DuckDbSession();
        var glob = DuckDbSql.List(files);
        return session.Query($"""
            SELECT * EXCLUDE (latest) FROM (
                SELECT *, row_number() OVER (PARTITION BY version, bucket_start, bucket_end, "column", method ORDER BY computed_at DESC) AS latest
                FROM read_parquet({glob}))
            WHERE latest = 1 ORDER BY bucket_start, "column"
            """);
    }
}
