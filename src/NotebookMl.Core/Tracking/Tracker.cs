using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Tracking;

/// <summary>
/// Experiment tracking on the workspace's embedded store (SQLite, WAL) with content-addressed
/// artifacts beside it: start runs, then list, show, compare and delete them. Several processes
/// may log into the same workspace at once. Reading runs finds runs whose process died and marks them killed.
/// </summary>
public sealed partial class Tracker
{
    private Tracker(WorkspaceDatabase database, ContentStore artifacts, TimeProvider timeProvider, string spoolFolder)
    {
        SpoolFolder = spoolFolder;
        Database = database;
        Artifacts = artifacts;
        TimeProvider = timeProvider;
        database.Migrate(TrackingSchema.Schema);
    }

    /// <summary>Where a run was logged from when it starts (this tracker only); default: <see cref="RunSource.Ambient"/>, the running notebook and cell.</summary>
    public Func<RunSource>? SourceProvider { get; set; }

    internal WorkspaceDatabase Database { get; }

    internal ContentStore Artifacts { get; }

    /// <summary>Where metric points wait when the store was gone past its timeout (<c>.notebookml/spool/</c>).</summary>
    internal string SpoolFolder { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>
    /// The tracker of <paramref name="workspace"/>; its runs wait at most <paramref name="storeTimeout"/> for a store that went
    /// away before they spool (null: <see cref="WorkspaceDatabase.StoreTimeout"/>'s default).
    /// </summary>
    public static Tracker Open(WorkspaceLocation workspace, TimeProvider? timeProvider = null, TimeSpan? storeTimeout = null) =>
        new(WorkspaceDatabase.Open(workspace, storeTimeout), ArtifactSettings.Open(workspace, "artifacts"), timeProvider ?? TimeProvider.System, Path.Combine(workspace.StateFolder, "spool"));

    /// <summary>Sends the metric points (and run ends) spooled while the store was gone; returns how many runs and points went.</summary>
    public (int Runs, long Points) FlushSpool() => MetricSpool.Flush(this, SpoolFolder);

    /// <summary>The tracker of the current workspace (<c>NOTEBOOKML_HOME</c>, or the nearest folder with <c>.notebookml/</c> or <c>notebookml.yaml</c>), created in the working directory where there is none.</summary>
    public static Tracker ForCurrentWorkspace() => Open(WorkspaceLocation.Current());

    /// <summary>The tracker of the current workspace, which must exist: for reading, so that it creates nothing.</summary>
    public static Tracker ForExistingWorkspace() => Open(WorkspaceLocation.CurrentExisting());

    /// <summary>
    /// Starts a run in <paramref name="experiment"/> (created if new), recording git commit and dirty
    /// flag, environment, host, process and source. Dispose it (or <see cref="TrackedRun.End"/>) to finish it.
    /// </summary>
    public TrackedRun StartRun(string experiment, string? name = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        TrackingLimits.CheckName("experiment", experiment);
        var id = Guid.NewGuid().ToString("N");
        var runName = name ?? $"run-{id[..8]}";
        TrackingLimits.CheckName("run", runName);
        var source = SourceProvider?.Invoke() ?? RunSource.Ambient();
        var (commit, dirty) = RunEnvironment.Git(source.Notebook is { } notebook && Path.GetDirectoryName(Path.GetFullPath(notebook)) is { } folder && Directory.Exists(folder) ? folder : Environment.CurrentDirectory);
        using (var connection = Database.Connect())
        using (var transaction = connection.BeginWrite())
        {
            var experimentId = ExperimentId(connection, experiment, create: true, TimeProvider.GetUtcNow())!.Value;
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO runs (id, experiment_id, name, status, started, git_commit, git_dirty, notebook, cell, host, pid, process_start, environment)
                VALUES (@id, @experiment, @name, 'RUNNING', @started, @commit, @dirty, @notebook, @cell, @host, @pid, @pstart, @environment)
                """;
            insert.Parameters.AddWithValue("@id", id);
            insert.Parameters.AddWithValue("@experiment", experimentId);
            insert.Parameters.AddWithValue("@name", runName);
            insert.Parameters.AddWithValue("@started", Stamp(TimeProvider.GetUtcNow()));
            insert.Parameters.AddWithValue("@commit", (object?)commit ?? DBNull.Value);
            insert.Parameters.AddWithValue("@dirty", dirty is { } d ? d : DBNull.Value);
            insert.Parameters.AddWithValue("@notebook", (object?)source.Notebook ?? DBNull.Value);
            insert.Parameters.AddWithValue("@cell", (object?)source.Cell ?? DBNull.Value);
            insert.Parameters.AddWithValue("@host", ProcessIdentity.Host);
            insert.Parameters.AddWithValue("@pid", ProcessIdentity.ProcessId);
            insert.Parameters.AddWithValue("@pstart", ProcessIdentity.ProcessStart);
            insert.Parameters.AddWithValue("@environment", JsonSerializer.Serialize(RunEnvironment.Describe()));
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        var run = new TrackedRun(this, id, experiment, runName);
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            run.SetTag(key, value);
        }

        return run;
    }

    /// <summary>Deletes run <paramref name="id"/> (a unique prefix will do) with everything it logged; artifact contents no other run shares are removed from disk.</summary>
    public string DeleteRun(string id)
    {
        var runId = ResolveId(id);
        List<string> hashes;
        using (var connection = Database.Connect())
        using (var transaction = connection.BeginWrite())
        {
            hashes = Strings(connection, "SELECT DISTINCT sha256 FROM artifacts WHERE run_id = @id", ("@id", runId));
            using var delete = connection.CreateCommand();
            // Metric points have no foreign key on PostgreSQL (see TrackingSchema): they go first, by hand.
            delete.CommandText = "DELETE FROM metrics WHERE run_id = @id; DELETE FROM runs WHERE id = @id";
            delete.Parameters.AddWithValue("@id", runId);
            delete.ExecuteNonQuery();
            hashes = hashes.Where(h => Strings(connection, "SELECT 1 FROM artifacts WHERE sha256 = @h LIMIT 1", ("@h", h)).Count == 0).ToList();
            transaction.Commit();
        }

        foreach (var hash in hashes)
        {
            Artifacts.Delete(hash);
        }

        return runId;
    }

    /// <summary>Marks killed the running runs of this host whose process is gone; returns how many.</summary>
    public int MarkDeadRunsKilled()
    {
        using var connection = Database.Connect();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, pid, process_start FROM runs WHERE status = 'RUNNING' AND host = @host";
        select.Parameters.AddWithValue("@host", ProcessIdentity.Host);
        var dead = new List<string>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!ProcessIdentity.IsAlive(reader.GetInt32(1), reader.GetString(2)))
                {
                    dead.Add(reader.GetString(0));
                }
            }
        }

        try
        {
            foreach (var id in dead)
            {
                using var update = connection.CreateCommand();
                update.CommandText = "UPDATE runs SET status = 'KILLED', ended = @ended WHERE id = @id AND status = 'RUNNING'";
                update.Parameters.AddWithValue("@ended", Stamp(TimeProvider.GetUtcNow()));
                update.Parameters.AddWithValue("@id", id);
                update.ExecuteNonQuery();
            }
        }
        catch (DbException e) when (StoreErrors.IsPermissionDenied(e))
        {
            // A read-only role lists runs as they are; a role that may write marks them.
            return 0;
        }

        return dead.Count;
    }

    internal static long? ExperimentId(DbConnection connection, string name, bool create, DateTimeOffset now = default)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT id FROM experiments WHERE name = @name";
        select.Parameters.AddWithValue("@name", name);
        if (select.ExecuteScalar() is long id)
        {
            return id;
        }

        if (!create)
        {
            return null;
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO experiments (name, created) VALUES (@name, @created) RETURNING id";
        insert.Parameters.AddWithValue("@name", name);
        insert.Parameters.AddWithValue("@created", Stamp(now));
        return Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseStamp(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static List<string> Strings(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return result;
    }
}
