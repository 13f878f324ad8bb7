using Microsoft.Data.Sqlite;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Storage;

/// <summary>
/// The workspace's embedded SQLite store (<c>.notebookml/workspace.db</c>), shared by the scheduler's
/// run history, experiment tracking and the registry. It is opened in WAL mode with a busy timeout,
/// so several processes (a notebook, the scheduler, a CLI verb) read and write it at once.
/// Each component owns its tables and migrates them with <see cref="Migrate"/>.
/// </summary>
public sealed class WorkspaceDatabase
{
    /// <summary>The database file's name inside the state folder.</summary>
    public const string FileName = "workspace.db";

    private static readonly TimeSpan s_busyTimeout = TimeSpan.FromSeconds(30);

    private WorkspaceDatabase(string path) => Path = path;

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the database of <paramref name="workspace"/>.</summary>
    public static WorkspaceDatabase Open(WorkspaceLocation workspace) => OpenFile(System.IO.Path.Combine(workspace.EnsureCreated().StateFolder, FileName));

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/>.</summary>
    public static WorkspaceDatabase OpenFile(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var database = new WorkspaceDatabase(System.IO.Path.GetFullPath(path));
        using var connection = database.Connect();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL);");
        return database;
    }

    /// <summary>A new open connection; dispose it after use (connections are pooled).</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)s_busyTimeout.TotalSeconds,
        }.ToString());
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout={(int)s_busyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
        return connection;
    }

    /// <summary>
    /// Brings <paramref name="component"/>'s tables up to date: runs each step of
    /// <paramref name="steps"/> (SQL; step i takes the schema to version i + 1) not applied yet, in one transaction.
    /// </summary>
    public void Migrate(string component, IReadOnlyList<string> steps)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT version FROM schema_versions WHERE component = $c";
        read.Parameters.AddWithValue("$c", component);
        var current = read.ExecuteScalar() is long v ? (int)v : 0;
        if (current > steps.Count)
        {
            throw new InvalidOperationException(
                $"{Path}: the '{component}' tables are at version {current}, newer than this NotebookMl knows ({steps.Count}); upgrade NotebookMl.");
        }

        for (var version = current; version < steps.Count; version++)
        {
            Execute(connection, steps[version]);
        }

        using var write = connection.CreateCommand();
        write.CommandText = "INSERT INTO schema_versions (component, version) VALUES ($c, $v) ON CONFLICT(component) DO UPDATE SET version = $v";
        write.Parameters.AddWithValue("$c", component);
        write.Parameters.AddWithValue("$v", steps.Count);
        write.ExecuteNonQuery();
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
