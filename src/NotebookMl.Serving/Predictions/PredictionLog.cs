namespace NotebookMl.Serving.Predictions;

/// <summary>
/// The endpoint's prediction log: every served request (or an exact share of them) becomes one row per input row, with the
/// time, model version, route (default, canary, shadow, version), entry (the log's id of the request), request id,
/// latency, fallback, each input and each output. Requests are copied into column buffers as they are answered and
/// written every flush interval as a new Parquet file under <c>.notebookml/predictions/MODEL/date=YYYY-MM-DD/</c>
/// (written aside, then moved into place), so losing the process loses at most the last interval. Query it with DuckDB:
/// <c>SELECT * FROM read_parquet('.notebookml/predictions/MODEL/*/*.parquet', union_by_name = true)</c>.
/// </summary>
public sealed class PredictionLog : IAsyncDisposable
{
    private readonly string _folder;
    private readonly double _share;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..12];
    private readonly Task _loop;
    // Served answers and shadow answers fill buffers of their own, under locks of their own: the shadow's thread
    // appending a batch never makes a request wait (with one lock, p99 rose 30 % with a shadow on).
    private readonly Lane _served = new();
    private readonly Lane _shadows = new();
    private long _seen;
    private long _entries;

    /// <summary>A log under <paramref name="folder"/> keeping <paramref name="share"/> of the requests (0 to 1), written every <paramref name="flush"/>.</summary>
    public PredictionLog(string folder, double share, TimeSpan flush, TimeProvider time, Action<string> log)
    {
        (_folder, _share, _time, _log) = (folder, share, time, log);
        _loop = Task.Run(() => LoopAsync(flush));
    }

    /// <summary>
    /// Whether the next request is one of the share kept. Exact without randomness: request n is kept when the running
    /// total of the share crosses a whole number.
    /// </summary>
    public bool Sample()
    {
        var n = Interlocked.Increment(ref _seen);
        return Math.Floor(n * _share) != Math.Floor((n - 1) * _share);
    }

    /// <summary>A new entry number: the log's id of one request (written as this process's prefix and the number).</summary>
    public long NextEntry() => Interlocked.Increment(ref _entries);

    /// <summary>The current time, as records take it.</summary>
    public DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>Copies one answered request into the buffers (the writing happens on the log's own loop).</summary>
    public void Append(PredictionRecord record) => (record.Route == PredictionRoutes.Shadow ? _shadows : _served).Append(record);

    /// <summary>Writes what is buffered now; returns the rows written.</summary>
    public async Task<int> FlushAsync()
    {
        await _writing.WaitAsync();
        try
        {
            var written = 0;
            foreach (var lane in new[] { _served, _shadows })
            {
                var buffers = lane.Take();
                foreach (var buffer in buffers.Values.Where(b => b.Rows > 0))
                {
                    written += await WriteAsync(buffer);
                    buffer.Reset();
                }

                lane.Keep(buffers);
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

    private async Task<int> WriteAsync(PredictionBuffer buffer)
    {
        var folder = Path.Combine(_folder, buffer.Model, $"date={buffer.Day:yyyy-MM-dd}");
        var path = Path.Combine(folder, $"part-{buffer.Last:HHmmssfff}-{Guid.NewGuid():N}.parquet");
        var staging = Path.Combine(folder, $".{Path.GetFileName(path)}.partial");
        try
        {
            Directory.CreateDirectory(folder);
            var rows = await PredictionParquet.WriteAsync(buffer, _prefix, staging);
            File.Move(staging, path);
            return rows;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or ArgumentException)
        {
            File.Delete(staging);
            _log($"prediction log: {buffer.Rows} rows of {buffer.Model} were not written: {e.Message}");
            return 0;
        }
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

    /// <summary>Buffers per model and day behind one lock; the buffers written at the last flush are kept, emptied, for reuse.</summary>
    private sealed class Lane
    {
        private readonly Lock _gate = new();
        private Dictionary<(string Model, DateOnly Day), PredictionBuffer> _buffers = [];
        private Dictionary<(string Model, DateOnly Day), PredictionBuffer> _spare = [];

        public void Append(PredictionRecord record)
        {
            var key = (record.Model, DateOnly.FromDateTime(record.Time));
            lock (_gate)
            {
                if (!_buffers.TryGetValue(key, out var buffer))
                {
                    // The buffer written at the last flush, emptied, when there is one: its arrays are reused.
                    buffer = _buffers[key] = _spare.Remove(key, out var spare) ? spare : new PredictionBuffer(key.Model, key.Item2);
                }

                buffer.Add(record);
            }
        }

        /// <summary>The buffers filled since the last flush; appends go to new (or spare) ones from now on.</summary>
        public Dictionary<(string Model, DateOnly Day), PredictionBuffer> Take()
        {
            lock (_gate)
            {
                var taken = _buffers;
                _buffers = [];
                return taken;
            }
        }

        /// <summary>Keeps written, emptied buffers for the next interval; a model or day that got no rows since is let go.</summary>
        public void Keep(Dictionary<(string Model, DateOnly Day), PredictionBuffer> written)
        {
            lock (_gate)
            {
                _spare = written;
            }
        }
    }
}
