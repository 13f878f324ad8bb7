using System.Data.Common;
using System.Globalization;
using NotebookMl.Core.Storage;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// The scheduler's state in the workspace SQLite store: every attempt's row (status, times, exit code,
/// attempt, output and log paths), and per pipeline the watermark: the latest occurrence the scheduler
/// has dealt with, from which a restart resumes (and finds what it missed). Rows left running by a
/// process that died are found by the process id and start time recorded with them.
/// </summary>
public sealed class RunHistoryStore
{
    /// <summary>The scheduler's tables in the workspace store.</summary>
    public static readonly StoreSchema Schema = new("scheduler",
    [
        """
        CREATE TABLE schedule_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            pipeline TEXT NOT NULL,
            scheduled_time TEXT NOT NULL,
            trigger TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            status TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            exit_code INTEGER,
            output_path TEXT,
            log_path TEXT,
            message TEXT,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            process_start TEXT NOT NULL);
        CREATE INDEX schedule_runs_pipeline ON schedule_runs (pipeline, id);
        CREATE INDEX schedule_runs_status ON schedule_runs (status);
        CREATE TABLE schedule_watermarks (pipeline TEXT PRIMARY KEY, watermark TEXT NOT NULL);
        """,
        // Step 2: what fired a triggered run (the statistic and its bound).
        "ALTER TABLE schedule_runs ADD COLUMN reason TEXT;",
    ],
    [new("schedule_runs", ["id"], Identity: true), new("schedule_watermarks", ["pipeline"])]);

    private readonly WorkspaceDatabase _database;

    /// <summary>Opens the history in <paramref name="database"/>, creating its tables if needed.</summary>
    public RunHistoryStore(WorkspaceDatabase database)
    {
        _database = database;
        _database.Migrate(Schema);
    }

    /// <summary>The SQLite file holding the history.</summary>
    public string DatabasePath => _database.Path;

    /// <summary>Records an attempt as started; returns its row id. <paramref name="reason"/>: what fired a triggered run.</summary>
    public long Start(string pipeline, DateTimeOffset scheduledTime, RunTrigger trigger, int attempt, DateTimeOffset started, string outputPath, string logPath, string? reason = null) =>
        Insert(pipeline, scheduledTime, trigger, attempt, PipelineRunStatus.Running, started, null, null, outputPath, logPath, null, reason);

    /// <summary>Records how attempt <paramref name="id"/> ended.</summary>
    public void Finish(long id, PipelineRunStatus status, DateTimeOffset ended, int? exitCode, string? message)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE schedule_runs SET status = @status, ended = @ended, exit_code = @exit, message = @message WHERE id = @id";
        command.Parameters.AddWithValue("@status", status.ToName());
        command.Parameters.AddWithValue("@ended", Stamp(ended));
        command.Parameters.AddWithValue("@exit", (object?)exitCode ?? DBNull.Value);
        command.Parameters.AddWithValue("@message", (object?)message ?? DBNull.Value);
        command.Parameters.AddWithValue("@id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>Records an occurrence that did not run (skipped, or interrupted before it started).</summary>
    public long RecordNotRun(string pipeline, DateTimeOffset scheduledTime, RunTrigger trigger, PipelineRunStatus status, DateTimeOffset at, string message, string? reason = null) =>
        Insert(pipeline, scheduledTime, trigger, 0, status, at, at, null, null, null, message, reason);

    /// <summary>The latest occurrence dealt with for <paramref name="pipeline"/>, or null if the scheduler never ran it.</summary>
    public DateTimeOffset? Watermark(string pipeline)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT watermark FROM schedule_watermarks WHERE pipeline = @p";
        command.Parameters.AddWithValue("@p", pipeline);
        return command.ExecuteScalar() is string text ? Parse(text) : null;
    }

    /// <summary>Moves <paramref name="pipeline"/>'s watermark to <paramref name="watermark"/>.</summary>
    public void SetWatermark(string pipeline, DateTimeOffset watermark)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO schedule_watermarks (pipeline, watermark) VALUES (@p, @w) ON CONFLICT(pipeline) DO UPDATE SET watermark = @w";
        command.Parameters.AddWithValue("@p", pipeline);
        command.Parameters.AddWithValue("@w", Stamp(watermark));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Marks interrupted the running rows of this host whose process is gone (killed, crashed, the
    /// machine restarted); returns them.
    /// </summary>
    public IReadOnlyList<PipelineRunRecord> MarkOrphansInterrupted(DateTimeOffset now)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, pid, process_start FROM schedule_runs WHERE status = 'running' AND host = @host";
        command.Parameters.AddWithValue("@host", ProcessIdentity.Host);
        var orphans = new List<(long Id, int Pid)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!ProcessIdentity.IsAlive(reader.GetInt32(1), reader.GetString(2)))
                {
                    orphans.Add((reader.GetInt64(0), reader.GetInt32(1)));
                }
            }
        }

        foreach (var (id, pid) in orphans)
        {
            Finish(id, PipelineRunStatus.Interrupted, now, 130, $"the process running it (pid {pid}) ended before the run finished");
        }

        return orphans.Select(o => Get(o.Id)!).ToArray();
    }

    /// <summary>The row <paramref name="id"/>, or null.</summary>
    public PipelineRunRecord? Get(long id) => Query("WHERE id = @id", 1, ("@id", id)).FirstOrDefault();

    /// <summary>The latest <paramref name="limit"/> rows, newest first, of one pipeline or all.</summary>
    public IReadOnlyList<PipelineRunRecord> History(string? pipeline, int limit) =>
        pipeline is null ? Query("", limit) : Query("WHERE pipeline = @p", limit, ("@p", pipeline));

    /// <summary>The latest row of each pipeline.</summary>
    public IReadOnlyDictionary<string, PipelineRunRecord> Latest()
    {
        var rows = Query("WHERE id IN (SELECT MAX(id) FROM schedule_runs GROUP BY pipeline)", int.MaxValue);
        return rows.ToDictionary(r => r.Pipeline);
    }

    private long Insert(
        string pipeline, DateTimeOffset scheduledTime, RunTrigger trigger, int attempt, PipelineRunStatus status, DateTimeOffset started, DateTimeOffset? ended, int? exitCode, string? outputPath, string? logPath, string? message, string? reason)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO schedule_runs (pipeline, scheduled_time, trigger, attempt, status, started, ended, exit_code, output_path, log_path, message, host, pid, process_start, reason)
            VALUES (@pipeline, @scheduled, @trigger, @attempt, @status, @started, @ended, @exit, @output, @log, @message, @host, @pid, @pstart, @reason)
            RETURNING id
            """;
        command.Parameters.AddWithValue("@pipeline", pipeline);
        command.Parameters.AddWithValue("@scheduled", Stamp(scheduledTime));
        command.Parameters.AddWithValue("@trigger", trigger.ToName());
        command.Parameters.AddWithValue("@attempt", attempt);
        command.Parameters.AddWithValue("@status", status.ToName());
        command.Parameters.AddWithValue("@started", Stamp(started));
        command.Parameters.AddWithValue("@ended", ended is { } e ? Stamp(e) : DBNull.Value);
        command.Parameters.AddWithValue("@exit", (object?)exitCode ?? DBNull.Value);
        command.Parameters.AddWithValue("@output", (object?)outputPath ?? DBNull.Value);
        command.Parameters.AddWithValue("@log", (object?)logPath ?? DBNull.Value);
        command.Parameters.AddWithValue("@message", (object?)message ?? DBNull.Value);
        command.Parameters.AddWithValue("@host", ProcessIdentity.Host);
        command.Parameters.AddWithValue("@pid", ProcessIdentity.ProcessId);
        command.Parameters.AddWithValue("@pstart", ProcessIdentity.ProcessStart);
        command.Parameters.AddWithValue("@reason", (object?)reason ?? DBNull.Value);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private IReadOnlyList<PipelineRunRecord> Query(string where, int limit, params (string Name, object Value)[] parameters)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, pipeline, scheduled_time, trigger, attempt, status, started, ended, exit_code, output_path, log_path, message, reason
            FROM schedule_runs {where} ORDER BY id DESC LIMIT @limit
            """;
        command.Parameters.AddWithValue("@limit", limit);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<PipelineRunRecord>();
        while (reader.Read())
        {
            rows.Add(new PipelineRunRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                Parse(reader.GetString(2)),
                PipelineRunStatusNames.ParseTrigger(reader.GetString(3)),
                reader.GetInt32(4),
                PipelineRunStatusNames.Parse(reader.GetString(5)),
                Parse(reader.GetString(6)),
                reader.IsDBNull(7) ? null : Parse(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return rows;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
