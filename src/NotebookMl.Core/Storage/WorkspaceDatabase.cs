using System.Data.Common;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Storage;

/// <summary>
/// The workspace's store, shared by experiment tracking, the feature and model registries, the online store, the
/// scheduler's history and monitoring: the embedded SQLite file <c>.notebookml/workspace.db</c> by default, or the
/// shared PostgreSQL database the workspace names (<c>store:</c> in <c>notebookml.yaml</c>, or <c>NOTEBOOKML_STORE</c>).
/// Each component owns its tables and SQL, written once for both engines (see <see cref="StoreDialect"/>), and brings
/// them up to date with <see cref="Migrate"/>. Every connection to the store is opened here.
/// </summary>
public sealed class WorkspaceDatabase
{
    /// <summary>The database file's name inside the state folder.</summary>
    public const string FileName = "workspace.db";

    private readonly DbDataSource _source;

    private WorkspaceDatabase(StoreAddress address)
    {
        Address = address;
        Dialect = StoreDialect.For(address.Engine);
        _source = Dialect.DataSource(address);
    }

    // How long a process trusts its last finding that a shared store's component is up to date.
    private static readonly TimeSpan SchemaRecheck = TimeSpan.FromSeconds(30);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Target, string Component), long> s_current = new();

    /// <summary>Where the store is.</summary>
    public StoreAddress Address { get; }

    /// <summary>The store's engine.</summary>
    public StoreEngine Engine => Address.Engine;

    /// <summary>Where the store is, for messages: the SQLite file, or the PostgreSQL URL without credentials.</summary>
    public string Path => Address.Display;

    internal StoreDialect Dialect { get; }

    /// <summary>The environment variable that sets <see cref="StoreTimeout"/> (a duration: <c>30s</c>, <c>10m</c>).</summary>
    public const string StoreTimeoutVariable = "NOTEBOOKML_STORE_TIMEOUT";

    /// <summary>
    /// How long a writer that buffers (a run's metric points) waits for a store that went away before it gives up and
    /// spools: <c>NOTEBOOKML_STORE_TIMEOUT</c> (e.g. <c>30s</c>, <c>10m</c>), default 5 minutes.
    /// </summary>
    public TimeSpan StoreTimeout { get; init; } = Environment.GetEnvironmentVariable(StoreTimeoutVariable) is { Length: > 0 } text
        ? Time.Durations.Parse(text, StoreTimeoutVariable, positive: true)
        : TimeSpan.FromMinutes(5);

    /// <summary>Opens (creating the embedded one if needed) the store of <paramref name="workspace"/>.</summary>
    public static WorkspaceDatabase Open(WorkspaceLocation workspace) =>
        OpenAt(StoreSettings.Of(workspace) ?? StoreAddress.Sqlite(System.IO.Path.Combine(workspace.EnsureCreated().StateFolder, FileName)));

    /// <summary>Opens the store of <paramref name="workspace"/>, whose writers wait at most <paramref name="storeTimeout"/> for it (null: <see cref="StoreTimeout"/>'s default).</summary>
    public static WorkspaceDatabase Open(WorkspaceLocation workspace, TimeSpan? storeTimeout)
    {
        var database = Open(workspace);
        return storeTimeout is { } timeout ? new WorkspaceDatabase(database.Address) { StoreTimeout = timeout } : database;
    }

    /// <summary>Opens (creating if needed) the embedded store at <paramref name="path"/>.</summary>
    public static WorkspaceDatabase OpenFile(string path) => OpenAt(StoreAddress.Sqlite(path));

    /// <summary>Opens the store at <paramref name="address"/>, creating an embedded one if needed.</summary>
    public static WorkspaceDatabase OpenAt(StoreAddress address)
    {
        if (address.Engine == StoreEngine.Sqlite)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(address.Target)!);
        }

        var database = new WorkspaceDatabase(address);
        using var connection = database.Connect();
        if (address.Engine == StoreEngine.Sqlite)
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
        }

        return database;
    }

    /// <summary>A new open connection; dispose it after use (connections are pooled).</summary>
    public DbConnection Connect()
    {
        try
        {
            return _source.OpenConnection();
        }
        catch (Exception e) when (e is not StoreAccessException && StoreErrors.Describe(e) is { } refusal)
        {
            throw new StoreAccessException($"{Path}: {refusal}", e);
        }
    }

    /// <summary>
    /// Calls <paramref name="changed"/> as soon as another process notifies <paramref name="channel"/> (PostgreSQL's
    /// LISTEN/NOTIFY); null on the embedded store, where followers poll.
    /// </summary>
    public IDisposable? Listen(string channel, Action changed) => Dialect.Listen(_source, channel, changed);

    /// <summary>
    /// Brings <paramref name="schema"/>'s tables up to date, in one write transaction: creates them where the store has
    /// none, and upgrades them on the embedded store. A shared store is upgraded only by <see cref="Upgrade"/>
    /// (<c>notebookml store upgrade</c>), since every client of it must understand the new tables. A schema newer than
    /// this NotebookMl knows is refused on both, and nothing is written.
    /// </summary>
    public void Migrate(StoreSchema schema)
    {
        // A shared store's check costs round trips on every open (a model load, a CLI verb); a process makes it again
        // only after SchemaRecheck, so an upgrade made meanwhile by a newer client is seen within that.
        var key = (Address.Target, schema.Component);
        if (Engine == StoreEngine.PostgreSql && s_current.TryGetValue(key, out var checkedAt) && TimeProvider.System.GetElapsedTime(checkedAt) < SchemaRecheck)
        {
            return;
        }

        using var connection = Connect();
        var current = ReadVersion(connection, schema.Component);
        if (current == schema.Version)
        {
            s_current[key] = TimeProvider.System.GetTimestamp();
            return;
        }

        CheckNotNewer(schema, current);
        if (current > 0 && Engine == StoreEngine.PostgreSql)
        {
            throw new StoreSchemaException(
                $"{Path}: the '{schema.Component}' tables are at version {current}; this NotebookMl needs version {schema.Version}. Run 'notebookml store upgrade' (every client of the store then needs this version of NotebookMl or newer).");
        }

        using var transaction = connection.BeginWrite();
        Apply(connection, transaction, schema);
        transaction.Commit();
        s_current[key] = TimeProvider.System.GetTimestamp();
    }

    /// <summary>The version of each of <paramref name="schemas"/> the store holds (0: none yet).</summary>
    public IReadOnlyList<SchemaChange> Versions(IReadOnlyList<StoreSchema> schemas)
    {
        using var connection = Connect();
        return schemas.Select(s => new SchemaChange(s.Component, ReadVersion(connection, s.Component), s.Version)).ToArray();
    }

    /// <summary>
    /// Brings every one of <paramref name="schemas"/> up to this NotebookMl's version in one transaction: all of them or
    /// none. Returns what changed.
    /// </summary>
    public IReadOnlyList<SchemaChange> Upgrade(IReadOnlyList<StoreSchema> schemas)
    {
        using var connection = Connect();
        using var transaction = connection.BeginWrite();
        var changes = new List<SchemaChange>();
        foreach (var schema in schemas)
        {
            int from;
            try
            {
                from = Apply(connection, transaction, schema);
            }
            catch (DbException e) when (!StoreErrors.IsUnreachable(e) && !StoreErrors.IsPermissionDenied(e))
            {
                throw new StoreSchemaException($"{Path}: upgrading the '{schema.Component}' tables failed: {e.Message}; nothing was changed (every component is upgraded in one transaction, or none is).");
            }

            if (from != schema.Version)
            {
                changes.Add(new SchemaChange(schema.Component, from, schema.Version));
            }
        }

        transaction.Commit();
        return changes;
    }

    // Applies the steps the store lacks inside the caller's write transaction; returns the version it found.
    private int Apply(DbConnection connection, DbTransaction transaction, StoreSchema schema)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)", transaction);
        var current = Version(connection, schema.Component, transaction);
        CheckNotNewer(schema, current);
        for (var version = current; version < schema.Version; version++)
        {
            if (Dialect.Schema(schema.Steps[version]) is { Length: > 0 } sql)
            {
                Execute(connection, sql, transaction);
            }
        }

        if (current != schema.Version)
        {
            using var write = connection.CreateCommand();
            write.Transaction = transaction;
            write.CommandText = "INSERT INTO schema_versions (component, version) VALUES (@c, @v) ON CONFLICT(component) DO UPDATE SET version = @v";
            write.Parameters.AddWithValue("@c", schema.Component);
            write.Parameters.AddWithValue("@v", schema.Version);
            write.ExecuteNonQuery();
        }

        return current;
    }

    private void CheckNotNewer(StoreSchema schema, int current)
    {
        if (current > schema.Version)
        {
            throw new StoreSchemaException(
                $"{Path}: the '{schema.Component}' tables are at version {current}, newer than this NotebookMl knows ({schema.Version}); upgrade NotebookMl.");
        }
    }

    // The component's version without a transaction: 0 where the store has no version table yet.
    private int ReadVersion(DbConnection connection, string component)
    {
        using var exists = connection.CreateCommand();
        exists.CommandText = Dialect.TableExists("schema_versions");
        return exists.ExecuteScalar() is true or 1L ? Version(connection, component, null) : 0;
    }

    private static int Version(DbConnection connection, string component, DbTransaction? transaction)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT version FROM schema_versions WHERE component = @c";
        read.Parameters.AddWithValue("@c", component);
        return read.ExecuteScalar() is { } v and not DBNull ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static void Execute(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
