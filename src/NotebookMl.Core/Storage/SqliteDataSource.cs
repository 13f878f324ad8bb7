using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace NotebookMl.Core.Storage;

/// <summary>
/// The embedded store's connections: one SQLite file in WAL mode with a busy timeout, so that several processes
/// (a notebook, the scheduler, a CLI verb) read and write it at once; foreign keys on. Connections are pooled.
/// </summary>
internal sealed class SqliteDataSource(string path) : DbDataSource
{
    private static readonly TimeSpan s_busyTimeout = TimeSpan.FromSeconds(30);

    public override string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = (int)s_busyTimeout.TotalSeconds,
    }.ToString();

    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = CreateDbConnection();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout={(int)s_busyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
        return connection;
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return OpenDbConnection();
    }
}
