using System.Data.Common;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Tracking;

/// <summary>
/// A run's metric points on their way to the store: buffered, written in batches (every 1,000 points, every second,
/// and when asked), and kept through an outage. While the store cannot be reached the points stay buffered and each
/// batch is tried again; a store gone for longer than <see cref="WorkspaceDatabase.StoreTimeout"/> ends the wait: the
/// points go to a spool file beside the workspace (<c>.notebookml/spool/RUN.json</c>) for <c>notebookml store flush</c>,
/// and the run fails with one line. Not thread-safe: the run calls it under its lock.
/// </summary>
internal sealed class MetricWriter(Tracker tracker, string runId)
{
    private const int BatchSize = 1000;
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_retryEvery = TimeSpan.FromMilliseconds(500);
    private static readonly string[] s_columns = ["run_id", "key", "value", "step", "timestamp"];

    private readonly List<MetricPoint> _pending = [];
    private DateTimeOffset _lastFlush = tracker.TimeProvider.GetUtcNow();
    private DateTimeOffset? _unreachableSince;

    /// <summary>Buffers <paramref name="point"/>, writing the batch when it is full or a second old.</summary>
    public void Add(MetricPoint point)
    {
        _pending.Add(point);
        var now = tracker.TimeProvider.GetUtcNow();
        if (_pending.Count >= BatchSize && (_unreachableSince is null || now - _lastFlush >= s_retryEvery) || now - _lastFlush >= s_flushInterval)
        {
            Flush(wait: false, end: null);
        }
    }

    /// <summary>
    /// Writes what is buffered, and <paramref name="end"/> (how the run ended) when given. <paramref name="wait"/>: until
    /// the store takes it or the store timeout passes; otherwise one try, the points staying buffered when the store
    /// cannot be reached. Past the timeout, what is left goes to the spool and the error says where.
    /// </summary>
    public void Flush(bool wait, (TrackedRunStatus Status, DateTimeOffset Ended)? end)
    {
        while (true)
        {
            _lastFlush = tracker.TimeProvider.GetUtcNow();
            try
            {
                Write(tracker.Database, runId, _pending);
                _pending.Clear();
                if (end is { } e)
                {
                    WriteEnd(tracker.Database, runId, e.Status, e.Ended);
                }

                _unreachableSince = null;
                return;
            }
            catch (Exception e) when (StoreErrors.IsUnreachable(e))
            {
                _unreachableSince ??= _lastFlush;
                if (_lastFlush - _unreachableSince.Value >= tracker.Database.StoreTimeout)
                {
                    throw Spool(e, end);
                }

                if (!wait)
                {
                    return;
                }

                Task.Delay(s_retryEvery, tracker.TimeProvider).Wait();
            }
        }
    }

    // Keeps what is buffered and how the run ended in the spool; returns the error that ends the run.
    private StoreAccessException Spool(Exception cause, (TrackedRunStatus Status, DateTimeOffset Ended)? end)
    {
        var path = MetricSpool.Write(tracker.SpoolFolder, runId, _pending, end);
        var message = $"{tracker.Database.Path}: the store has been unreachable for {Time.Durations.Format(tracker.Database.StoreTimeout)} (the store timeout); "
            + $"run {runId}'s {_pending.Count} unwritten metric point(s){(end is null ? "" : " and its end")} are kept in {path}; 'notebookml store flush' sends them when the store is back.";
        _pending.Clear();
        return new StoreAccessException(message, cause);
    }

    /// <summary>
    /// Writes <paramref name="points"/> of <paramref name="run"/> in one transaction: the points, and each key's latest value; with
    /// <paramref name="once"/>, a tag recorded in that transaction, and nothing at all when an earlier write recorded it. Returns whether it wrote.
    /// </summary>
    public static bool Write(WorkspaceDatabase database, string run, IReadOnlyList<MetricPoint> points, string? once = null)
    {
        if (points.Count == 0)
        {
            return false;
        }

        using var connection = database.Connect();
        using var transaction = connection.BeginAppend();
        if (once is not null)
        {
            // Sent at most once: the tag goes in with the points, and a second send finds it and adds nothing.
            using var mark = connection.CreateCommand();
            mark.Transaction = transaction;
            mark.CommandText = "INSERT INTO tags (run_id, key, value) VALUES (@id, @key, 'sent') ON CONFLICT (run_id, key) DO NOTHING";
            mark.Parameters.AddWithValue("@id", run);
            mark.Parameters.AddWithValue("@key", once);
            if (mark.ExecuteNonQuery() == 0)
            {
                return false;
            }
        }
        StoreDialect.Of(connection).InsertRows(connection, transaction, "metrics", s_columns,
            points.Select(p => new object?[] { run, p.Key, double.IsNaN(p.Value) ? null : p.Value, p.Step, p.Timestamp.ToUnixTimeMilliseconds() }));

        // Each key's latest point, all keys in one statement (per 500 keys): one round trip, not one per key.
        var latestPoints = points.GroupBy(p => p.Key).Select(g => g.OrderBy(p => p.Step).ThenBy(p => p.Timestamp).Last()).ToArray();
        foreach (var chunk in latestPoints.Chunk(500))
        {
            using var latest = connection.CreateCommand();
            latest.Transaction = transaction;
            latest.Parameters.AddWithValue("@id", run);
            var values = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                values.Add($"(@id, @k{i}, @v{i}, @s{i}, @t{i})");
                latest.Parameters.AddWithValue($"@k{i}", chunk[i].Key);
                latest.Parameters.AddWithValue($"@v{i}", double.IsNaN(chunk[i].Value) ? null : chunk[i].Value);
                latest.Parameters.AddWithValue($"@s{i}", chunk[i].Step);
                latest.Parameters.AddWithValue($"@t{i}", chunk[i].Timestamp.ToUnixTimeMilliseconds());
            }

            latest.CommandText = $"""
                INSERT INTO latest_metrics (run_id, key, value, step, timestamp) VALUES {string.Join(", ", values)}
                ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, timestamp = excluded.timestamp
                WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)
                """;
            latest.ExecuteNonQuery();
        }

        transaction.Commit();
        return true;
    }

    /// <summary>Records how <paramref name="run"/> ended.</summary>
    public static void WriteEnd(WorkspaceDatabase database, string run, TrackedRunStatus status, DateTimeOffset ended)
    {
        using var connection = database.Connect();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE runs SET status = @status, ended = @ended WHERE id = @id";
        update.Parameters.AddWithValue("@status", status.ToString().ToUpperInvariant());
        update.Parameters.AddWithValue("@ended", Tracker.Stamp(ended));
        update.Parameters.AddWithValue("@id", run);
        update.ExecuteNonQuery();
    }
}
