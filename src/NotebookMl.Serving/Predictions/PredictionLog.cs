namespace NotebookMl.Serving.Predictions;

/// <summary>
/// The endpoint's prediction log: every served request (or an exact share of them) becomes one row per input row, with the
/// time, model version, route (default, canary, shadow, version), entry (the log's id of the request), request id,
/// latency, fallback, each input and each output. Requests are copied into column buffers as they are answered and
/// written every flush interval as a new Parquet file under <c>.notebookml/predictions/MODEL/date=YYYY-MM-DD/</c>
/// (written aside, then moved into place), so losing the process loses at most the last interval. Query it with DuckDB:
/// <c>SELECT * FROM read_parquet('.notebookml/predictions/MODEL/*/*.parquet', union_by_name = true)</c>.
/// On a shared store each file written is also published (<see cref="Publish"/>: the artifact root and the store's
/// monitoring index), so every workspace on the store reads every replica's traffic.
/// The rows held in memory (appended, or being written) are bounded: when the disk cannot keep up, rows past the bound are
/// dropped and counted (<c>notebookml_prediction_log_dropped_total</c>), never held without limit; serving goes on.
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
    private readonly long _maxRows;
    private readonly Action<string, int> _dropped;
    private long _seen;
    private long _entries;
    private long _held;
    private long _droppedSinceLogged;
    // Files written but not yet published to a shared store (it could not be reached): tried again at each flush.
    private readonly List<(string Model, string Path)> _unpublished = [];
    private bool _publishRefused;

    /// <summary>
    /// A log under <paramref name="folder"/> keeping <paramref name="share"/> of the requests (0 to 1), written every
    /// <paramref name="flush"/>, holding at most <paramref name="maxRows"/> rows in memory; <paramref name="dropped"/> hears the
    /// rows of each model dropped past that bound.
    /// </summary>
    public PredictionLog(string folder, double share, TimeSpan flush, TimeProvider time, Action<string> log, long maxRows = 1_000_000, Action<string, int>? dropped = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        (_folder, _share, _time, _log, _maxRows, _dropped) = (folder, share, time, log, maxRows, dropped ?? ((_, _) => { }));
        _loop = Task.Run(() => LoopAsync(flush));
    }

    /// <summary>Writes one buffer to a Parquet file (the entry prefix, the path); tests put a slow disk here.</summary>
    internal Func<PredictionBuffer, string, string, Task<int>> Writer { get; init; } = PredictionParquet.WriteAsync;

    /// <summary>
    /// Publishes each file written (model, path), so that other workspaces on a shared store read it; a failure is logged
    /// and the file is tried again at the next flush. Null: the files stay local.
    /// </summary>
    public Action<string, string>? Publish { get; init; }

    /// <summary>The rows held in memory now: appended and not yet written.</summary>
    public long HeldRows => Interlocked.Read(ref _held);

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

    /// <summary>
    /// Copies one answered request into the buffers (the writing happens on the log's own loop); past the bound of rows held,
    /// the request's rows are dropped and counted instead.
    /// </summary>
    public void Append(PredictionRecord record)
    {
        var rows = (int)(record.Request.Inputs.FirstOrDefault(t => t.Shape.Length > 0)?.Shape[0] ?? 1);
        if (Interlocked.Add(ref _held, rows) > _maxRows)
        {
            Interlocked.Add(ref _held, -rows);
            _dropped(record.Model, rows);
            if (Interlocked.Add(ref _droppedSinceLogged, rows) == rows)
            {
                _log($"prediction log: {_maxRows:N0} rows are waiting for the disk; rows past them are dropped (notebookml_prediction_log_dropped_total)");
            }

            return;
        }

        (record.Route == PredictionRoutes.Shadow ? _shadows : _served).Append(record);
    }

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
                    Interlocked.Add(ref _held, -buffer.Rows);
                    buffer.Reset();
                }

                lane.Keep(buffers);
            }

            PublishWritten();
            if (Interlocked.Exchange(ref _droppedSinceLogged, 0) is > 0 and var lost)
            {
                _log($"prediction log: {lost:N0} rows were dropped while the disk was behind");
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
            var rows = await Writer(buffer, _prefix, staging);
            File.Move(staging, path);
            if (Publish is not null && !_publishRefused)
            {
                _unpublished.Add((buffer.Model, path));
            }

            return rows;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException or ArgumentException)
        {
            File.Delete(staging);
            _log($"prediction log: {buffer.Rows} rows of {buffer.Model} were not written: {e.Message}");
            return 0;
        }
    }

    // Under the writing lock: publishes what was written, in order, stopping at the first failure (tried again next flush).
    private void PublishWritten()
    {
        while (_unpublished.Count > 0 && !_publishRefused && Publish is { } publish)
        {
            var (model, path) = _unpublished[0];
            try
            {
                publish(model, path);
            }
            catch (Exception e) when (Core.Storage.StoreErrors.IsPermissionDenied(e))
            {
                _log($"prediction log: this role may not write to the shared store ({e.Message}); the log stays in {_folder}");
                _unpublished.Clear();
                _publishRefused = true;
                return;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException or System.Data.Common.DbException or Core.Storage.StoreAccessException)
            {
                _log($"prediction log: {path} is kept here but not yet published to the shared store ({e.Message}); it is tried again at the next flush");
                return;
            }

            _unpublished.RemoveAt(0);
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
