using System.Globalization;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Tracking;

/// <summary>
/// A run being logged. Params are write-once (the same value again is fine, a different one is an
/// error); metrics are append-only points, buffered and written in batches (every 1,000 points, every
/// second, and on <see cref="Flush"/>/<see cref="End"/>); tags may change; artifacts are stored by
/// content. Disposing it ends it unless it already ended: as failed, with the exception in the <c>error</c> tag, when an
/// exception is leaving the <c>using</c> block that disposes it (as MLflow's <c>with start_run()</c> does), else as finished.
/// Thread-safe.
/// </summary>
public sealed class TrackedRun : IDisposable
{

    private readonly Tracker _tracker;
    private readonly Lock _gate = new();
    private readonly MetricWriter _metrics;
    private bool _ended;

    // The last exception thrown on each thread while the run is open: the one a using block's Dispose sees leaving.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Exception> _thrown = new();

    internal TrackedRun(Tracker tracker, string id, string experiment, string name)
    {
        _tracker = tracker;
        Id = id;
        Experiment = experiment;
        Name = name;
        _metrics = new MetricWriter(tracker, id);
        AppDomain.CurrentDomain.FirstChanceException += OnThrown;
    }

    /// <summary>The run's id (32 hex digits).</summary>
    public string Id { get; }

    /// <summary>Its experiment.</summary>
    public string Experiment { get; }

    /// <summary>Its name.</summary>
    public string Name { get; }

    /// <summary>Records a param; <paramref name="value"/> is written invariantly (<c>0.1</c>, <c>true</c>, <c>2026-11-23</c>).</summary>
    public TrackedRun LogParam(string key, object? value)
    {
        TrackingLimits.CheckName("param", key);
        var text = Text(value);
        TrackingLimits.CheckValue("param", key, text, TrackingLimits.MaxParamValueLength);
        lock (_gate)
        {
            EnsureRunning();
            using var connection = _tracker.Database.Connect();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO params (run_id, key, value) VALUES (@id, @key, @value) ON CONFLICT(run_id, key) DO NOTHING RETURNING 1";
            insert.Parameters.AddWithValue("@id", Id);
            insert.Parameters.AddWithValue("@key", key);
            insert.Parameters.AddWithValue("@value", text);
            if (insert.ExecuteScalar() is null)
            {
                using var read = connection.CreateCommand();
                read.CommandText = "SELECT value FROM params WHERE run_id = @id AND key = @key";
                read.Parameters.AddWithValue("@id", Id);
                read.Parameters.AddWithValue("@key", key);
                var existing = (string)read.ExecuteScalar()!;
                if (existing != text)
                {
                    throw new InvalidOperationException($"param '{key}' of run {Id} is already '{existing}'; params are write-once (got '{text}'). Log it under another name or start a new run.");
                }
            }
        }

        return this;
    }

    /// <summary>Records several params.</summary>
    public TrackedRun LogParams(IEnumerable<KeyValuePair<string, object?>> values)
    {
        foreach (var (key, value) in values)
        {
            LogParam(key, value);
        }

        return this;
    }

    /// <summary>Appends a metric point (<paramref name="step"/> 0 and now unless given).</summary>
    public TrackedRun LogMetric(string key, double value, long step = 0, DateTimeOffset? timestamp = null)
    {
        TrackingLimits.CheckName("metric", key);
        lock (_gate)
        {
            EnsureRunning();
            var now = _tracker.TimeProvider.GetUtcNow();
            _metrics.Add(new MetricPoint(key, value, step, timestamp ?? now));
        }

        return this;
    }

    /// <summary>Appends one point per metric, all at <paramref name="step"/>.</summary>
    public TrackedRun LogMetrics(IReadOnlyDictionary<string, double> values, long step = 0)
    {
        foreach (var (key, value) in values)
        {
            LogMetric(key, value, step);
        }

        return this;
    }

    /// <summary>Sets a tag (a later value replaces an earlier one).</summary>
    public TrackedRun SetTag(string key, string value)
    {
        TrackingLimits.CheckName("tag", key);
        TrackingLimits.CheckValue("tag", key, value, TrackingLimits.MaxTagValueLength);
        Execute("INSERT INTO tags (run_id, key, value) VALUES (@id, @key, @value) ON CONFLICT(run_id, key) DO UPDATE SET value = @value", ("@key", key), ("@value", value));
        return this;
    }

    /// <summary>Stores a file (as <paramref name="artifactPath"/>, default its name) or a folder's files (under its name).</summary>
    public TrackedRun LogArtifact(string localPath, string? artifactPath = null)
    {
        if (Directory.Exists(localPath))
        {
            var root = artifactPath ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(localPath));
            foreach (var file in Directory.EnumerateFiles(localPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                LogArtifact(file, root + "/" + Path.GetRelativePath(localPath, file).Replace('\\', '/'));
            }

            return this;
        }

        if (!File.Exists(localPath))
        {
            throw new FileNotFoundException($"artifact {localPath}: file not found.");
        }

        using var stream = File.OpenRead(localPath);
        return LogArtifact(stream, artifactPath ?? Path.GetFileName(localPath));
    }

    /// <summary>Stores <paramref name="content"/> as <paramref name="artifactPath"/>.</summary>
    public TrackedRun LogArtifact(Stream content, string artifactPath)
    {
        var path = TrackingLimits.CheckArtifactPath(artifactPath);
        lock (_gate)
        {
            EnsureRunning();
        }

        var (hash, size) = _tracker.Artifacts.Put(content);
        Execute(
            "INSERT INTO artifacts (run_id, path, sha256, size) VALUES (@id, @path, @sha, @size) ON CONFLICT(run_id, path) DO UPDATE SET sha256 = @sha, size = @size",
            ("@path", path), ("@sha", hash), ("@size", size));
        return this;
    }

    /// <summary>Stores <paramref name="text"/> (UTF-8) as <paramref name="artifactPath"/>.</summary>
    public TrackedRun LogText(string text, string artifactPath) => LogArtifact(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), artifactPath);

    /// <summary>Records a dataset the run read.</summary>
    public TrackedRun LogInput(DatasetInput input)
    {
        TrackingLimits.CheckName("dataset", input.Name);
        Execute(
            "INSERT INTO inputs (run_id, name, digest, source, schema, context) VALUES (@id, @name, @digest, @source, @schema, @context) ON CONFLICT DO NOTHING",
            ("@name", input.Name), ("@digest", input.Digest), ("@source", input.Source), ("@schema", (object?)input.Schema ?? DBNull.Value), ("@context", (object?)input.Context ?? DBNull.Value));
        return this;
    }

    /// <summary>Writes buffered metric points now.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _metrics.Flush(wait: true, end: null);
        }
    }

    /// <summary>Ends the run with <paramref name="status"/> (buffered metrics are written first).</summary>
    public void End(TrackedRunStatus status = TrackedRunStatus.Finished)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            // Ended even when the store is gone past its timeout: the end then waits in the spool with the points.
            _ended = true;
            AppDomain.CurrentDomain.FirstChanceException -= OnThrown;
            _thrown.Clear();
            _metrics.Flush(wait: true, end: (status, _tracker.TimeProvider.GetUtcNow()));
        }
    }

    /// <summary>Ends the run as failed, recording <paramref name="error"/> in the <c>error</c> tag.</summary>
    public void Fail(Exception? error = null)
    {
        if (error is not null)
        {
            var message = $"{error.GetType().FullName}: {error.Message}";
            try
            {
                SetTag("error", message.Length > TrackingLimits.MaxTagValueLength ? message[..TrackingLimits.MaxTagValueLength] : message);
            }
            catch (Exception e) when (StoreErrors.IsUnreachable(e))
            {
                // The store is gone: the run's end still goes to the spool below, without the tag.
            }
        }

        End(TrackedRunStatus.Failed);
    }

    /// <summary>
    /// Ends the run unless it already ended: failed, with the exception recorded, when it is disposed while an exception
    /// unwinds the stack (the block of <c>using var run = …</c> threw); finished otherwise.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }
        }

        if (System.Runtime.InteropServices.Marshal.GetExceptionPointers() != IntPtr.Zero)
        {
            Fail(_thrown.GetValueOrDefault(Environment.CurrentManagedThreadId));
            return;
        }

        End();
    }

    private void OnThrown(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) =>
        _thrown[Environment.CurrentManagedThreadId] = e.Exception;

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            EnsureRunning();
            using var connection = _tracker.Database.Connect();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("@id", Id);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
        }
    }

    private void EnsureRunning()
    {
        if (_ended)
        {
            throw new InvalidOperationException($"run {Id} ({Name}) has ended; start a new run to log more.");
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateTime d => d.ToString(d.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
