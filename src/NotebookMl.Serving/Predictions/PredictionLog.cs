using System.Collections.Concurrent;

namespace NotebookMl.Serving.Predictions;

/// <summary>
/// The endpoint's prediction log: every served request (or an exact share of them) becomes one row per input row, with the
/// time, model version, route (default, canary, shadow, version), request id, latency, fallback, each input and each
/// output. Records are queued in memory and written every flush interval as a new Parquet file under
/// <c>.notebookml/predictions/MODEL/date=YYYY-MM-DD/</c> (written aside, then moved into place), so losing the process
/// loses at most the last interval. Query it with DuckDB:
/// <c>SELECT * FROM read_parquet('.notebookml/predictions/MODEL/*/*.parquet', union_by_name = true)</c>.
/// </summary>
public sealed class PredictionLog : IAsyncDisposable
{
    private readonly string _folder;
    private readonly double _share;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly ConcurrentQueue<PredictionRecord> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Task _loop;
    private long _seen;

    /// <summary>A log under <paramref name="folder"/> keeping <paramref name="share"/> of the requests (0 to 1), written every <paramref name="flush"/>.</summary>
    public PredictionLog(string folder, double share, TimeSpan flush, TimeProvider time, Action<string> log)
    {
        (_folder, _share, _time, _log) = (folder, share, time, log);
        _loop = Task.Run(() => LoopAsync(flush));
    }

    /// <summary>The folder the log's files go under (one folder per model).</summary>
    public string Folder => _folder;

    /// <summary>
    /// Whether the next request is one of the share kept. Exact without randomness: request n is kept when the running
    /// total of the share crosses a whole number.
    /// </summary>
    public bool Sample()
    {
        var n = Interlocked.Increment(ref _seen);
        return Math.Floor(n * _share) != Math.Floor((n - 1) * _share);
    }

    /// <summary>The current time, as records take it.</summary>
    public DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>Queues one answered request (cheap: the writing happens on the log's own loop).</summary>
    public void Append(PredictionRecord record) => _queue.Enqueue(record);

    /// <summary>Writes what is queued now; returns the rows written.</summary>
    public async Task<int> FlushAsync()
    {
        await _writing.WaitAsync();
        try
        {
            var records = new List<PredictionRecord>();
            while (_queue.TryDequeue(out var record))
            {
                records.Add(record);
            }

            var written = 0;
            foreach (var group in records.GroupBy(e => (e.Model, Day: e.Time.Date)))
            {
                var batch = group.ToArray();
                var folder = Path.Combine(_folder, group.Key.Model, $"date={group.Key.Day:yyyy-MM-dd}");
                var path = Path.Combine(folder, $"part-{batch.Max(e => e.Time):HHmmssfff}-{Guid.NewGuid():N}.parquet");
                var staging = Path.Combine(folder, $".{Path.GetFileName(path)}.partial");
                try
                {
                    Directory.CreateDirectory(folder);
                    written += await PredictionParquet.WriteAsync(batch, staging);
                    File.Move(staging, path);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or ArgumentException)
                {
                    File.Delete(staging);
                    _log($"prediction log: {batch.Length} requests of {group.Key.Model} were not written: {e.Message}");
                }
            }

            return written;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await FlushAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan flush)
    {
        using var timer = new PeriodicTimer(flush, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: DisposeAsync writes the rest.
        }
    }
}
