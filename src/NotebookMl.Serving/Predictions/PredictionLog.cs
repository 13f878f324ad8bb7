using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Predictions;

/// <summary>
/// The endpoint's prediction log: every served request (or an exact share of them) becomes one row per input row, with the
/// time, model version, request id, latency, fallback, each input and each output. Rows are queued in memory and written
/// every flush interval as a new Parquet file under <c>.notebookml/predictions/MODEL/date=YYYY-MM-DD/</c>, so losing the
/// process loses at most the last interval. Query it with DuckDB:
/// <c>SELECT * FROM read_parquet('.notebookml/predictions/MODEL/*/*.parquet', union_by_name = true)</c>.
/// </summary>
public sealed class PredictionLog : IAsyncDisposable
{
    private readonly string _folder;
    private readonly double _share;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly ConcurrentQueue<Entry> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _seen;

    /// <summary>A log under <paramref name="folder"/> keeping <paramref name="share"/> of the requests (0 to 1), written every <paramref name="flush"/>.</summary>
    public PredictionLog(string folder, double share, TimeSpan flush, TimeProvider time, Action<string> log)
    {
        (_folder, _share, _time, _log) = (folder, share, time, log);
        _loop = Task.Run(() => LoopAsync(flush));
    }

    /// <summary>Queues the rows of one answered request (cheap: the writing happens on the log's own loop).</summary>
    public void Append(string model, int version, InferRequest request, IReadOnlyList<InferTensor> outputs, TimeSpan latency, string? fallback)
    {
        // An exact share without randomness: request n is kept when the running total of the share crosses a whole number.
        var n = Interlocked.Increment(ref _seen);
        if (Math.Floor(n * _share) == Math.Floor((n - 1) * _share))
        {
            return;
        }

        _queue.Enqueue(new Entry(_time.GetUtcNow().UtcDateTime, model, version, request, outputs, latency.TotalMilliseconds, fallback));
    }

    /// <summary>Writes what is queued now; returns the rows written.</summary>
    public int Flush()
    {
        var entries = new List<Entry>();
        while (_queue.TryDequeue(out var entry))
        {
            entries.Add(entry);
        }

        var written = 0;
        foreach (var group in entries.GroupBy(e => (e.Model, Day: e.Time.Date)))
        {
            try
            {
                var frame = Frame(group.ToArray());
                var folder = Path.Combine(_folder, group.Key.Model, $"date={group.Key.Day:yyyy-MM-dd}");
                using var writer = new DataFileWriter(Path.Combine(folder, $"part-{group.Max(e => e.Time):HHmmssfff}-{Guid.NewGuid():N}.parquet"));
                writer.Append(frame);
                writer.Complete();
                written += (int)frame.Rows.Count;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException)
            {
                _log($"prediction log: {group.Count()} requests of {group.Key.Model} were not written: {e.Message}");
            }
        }

        return written;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Flush();
        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan flush)
    {
        using var timer = new PeriodicTimer(flush, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: DisposeAsync writes the rest.
        }
    }

    private static DataFrame Frame(Entry[] entries)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var entry in entries)
        {
            var count = entry.Request.Inputs.FirstOrDefault(i => i.Shape.Length > 0)?.Shape[0] ?? 1;
            for (var r = 0; r < count; r++)
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["time"] = entry.Time, ["version"] = (long)entry.Version, ["request_id"] = entry.Request.Id, ["row"] = (long)r,
                    ["latency_ms"] = entry.LatencyMs, ["fallback"] = entry.Fallback,
                };
                foreach (var tensor in entry.Request.Inputs.Concat(entry.Outputs))
                {
                    Cells(row, tensor, r, count);
                }

                rows.Add(row);
            }
        }

        var names = rows.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).ToArray();
        return new DataFrame(names.Select(name => Column(name, rows.Select(r => r.GetValueOrDefault(name)).ToArray())));
    }

    // A tensor of N rows gives each row its slice: one column for [N] or [N, 1], NAME_0, NAME_1, … for wider rows.
    private static void Cells(Dictionary<string, object?> row, InferTensor tensor, int r, long rows)
    {
        var width = rows == 0 ? 0 : (int)(tensor.Data.Length / rows);
        for (var k = 0; k < width; k++)
        {
            var value = tensor.Data.GetValue((r * width) + k);
            row[width == 1 ? tensor.Name : $"{tensor.Name}_{k}"] = value switch
            {
                float f => float.IsNaN(f) ? null : (double)f,
                double d => double.IsNaN(d) ? null : d,
                int i => (long)i,
                _ => value,
            };
        }
    }

    private static DataFrameColumn Column(string name, object?[] values) => values.FirstOrDefault(v => v is not null) switch
    {
        DateTime => new DateTimeDataFrameColumn(name, values.Select(v => (DateTime?)v)),
        double => new DoubleDataFrameColumn(name, values.Select(v => (double?)v)),
        long => new Int64DataFrameColumn(name, values.Select(v => (long?)v)),
        bool => new BooleanDataFrameColumn(name, values.Select(v => (bool?)v)),
        _ => new StringDataFrameColumn(name, values.Select(v => v is null ? null : Convert.ToString(v, CultureInfo.InvariantCulture))),
    };

    private sealed record Entry(DateTime Time, string Model, int Version, InferRequest Request, IReadOnlyList<InferTensor> Outputs, double LatencyMs, string? Fallback);
}
