using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Everything that differs between the store's engines, in one place: opening connections, write transactions, the
/// column types of the schema, numbers held as text, row order, notifications and bulk appends (which errors are worth
/// a retry: <see cref="StoreErrors"/>). Components write one SQL for both: <c>@name</c> parameters, <c>ON CONFLICT … DO</c>, <c>RETURNING</c>, and the types <c>TEXT</c>, <c>INTEGER</c> (64 bits)
/// and <c>REAL</c> (double).
/// </summary>
internal abstract partial class StoreDialect
{
    /// <summary>An expression of the order rows were inserted in, for tables without a key that says it.</summary>
    public abstract string RowOrder { get; }

    /// <summary>The case-insensitive LIKE (SQLite's LIKE is).</summary>
    public abstract string Like { get; }

    /// <summary><paramref name="text"/> as a double where it reads as a number.</summary>
    public abstract string Number(string text);

    /// <summary>ORDER BY terms for a text column holding numbers and words: numbers first, by value, then words.</summary>
    public abstract string OrderNumbersThenText(string text, string direction);

    /// <summary>A query whose one value is true (or 1) when <paramref name="table"/> exists.</summary>
    public abstract string TableExists(string table);

    /// <summary>An aggregate joining a group's text values with commas (order not given).</summary>
    public abstract string Concat(string text);

    /// <summary>The data source connections of <paramref name="address"/> come from (pooled).</summary>
    public abstract DbDataSource DataSource(StoreAddress address);

    /// <summary>
    /// A transaction that holds the store's writer lock from its first statement, so that what it reads stays true until
    /// it commits (a version number, an alias's current version): SQLite's <c>BEGIN IMMEDIATE</c>, PostgreSQL's
    /// transaction-scoped advisory lock.
    /// </summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>A transaction for appends only, which read nothing they depend on (metric points): no lock on PostgreSQL.</summary>
    public abstract DbTransaction BeginAppend(DbConnection connection);

    /// <summary>
    /// The schema step <paramref name="ddl"/>, written for SQLite, in this engine's types; empty for a step that starts
    /// with <c>-- postgresql only</c> on SQLite.
    /// </summary>
    public abstract string Schema(string ddl);

    /// <summary>Tells listeners of <paramref name="channel"/> that a change commits with the current transaction (nothing on SQLite, which has no listeners).</summary>
    public abstract void Notify(DbConnection connection, string channel);

    /// <summary>Calls <paramref name="changed"/> when a change is notified on <paramref name="channel"/>; null where the engine cannot.</summary>
    public abstract IDisposable? Listen(DbDataSource source, string channel, Action changed);

    /// <summary>
    /// Appends <paramref name="rows"/> to <paramref name="table"/> in the current transaction, as fast as the engine takes
    /// them: one prepared statement on SQLite, <c>COPY … FROM STDIN (FORMAT BINARY)</c> on PostgreSQL. Values are text,
    /// 64-bit integers, doubles or null.
    /// </summary>
    public abstract void InsertRows(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows);

    /// <summary>After rows with explicit ids were copied into <paramref name="table"/>: new rows get ids above them.</summary>
    public abstract void AfterExplicitIds(DbConnection connection, string table);

    /// <summary>The dialect of <paramref name="engine"/>.</summary>
    public static StoreDialect For(StoreEngine engine) => engine == StoreEngine.PostgreSql ? PostgreSqlDialect.Instance : SqliteDialect.Instance;

    /// <summary>The dialect <paramref name="connection"/> speaks.</summary>
    public static StoreDialect Of(DbConnection connection) => connection is NpgsqlConnection ? PostgreSqlDialect.Instance : SqliteDialect.Instance;

    private sealed class SqliteDialect : StoreDialect
    {
        public static readonly SqliteDialect Instance = new();



        public override string RowOrder => "rowid";

        public override string TableExists(string table) => $"SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{table}')";

        public override string Like => "LIKE";

        public override string Concat(string text) => $"group_concat({text}, ',')";

        public override string Number(string text) => $"CAST({text} AS REAL)";

        // SQLite orders numbers before text; a value is a number when it survives the round trip.
        public override string OrderNumbersThenText(string text, string direction) =>
            $"CASE WHEN CAST({text} AS REAL) || '' = {text} THEN CAST({text} AS REAL) ELSE {text} END {direction}";

        public override DbDataSource DataSource(StoreAddress address) => new SqliteDataSource(address.Target);

        public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

        public override DbTransaction BeginAppend(DbConnection connection) => BeginWrite(connection);

        public override string Schema(string ddl) => ddl.TrimStart().StartsWith("-- postgresql only", StringComparison.Ordinal) ? "" : ddl;

        public override void Notify(DbConnection connection, string channel)
        {
        }

        public override IDisposable? Listen(DbDataSource source, string channel, Action changed) => null;

        // AUTOINCREMENT keeps its counter above every id inserted, explicit or not.
        public override void AfterExplicitIds(DbConnection connection, string table)
        {
        }

        public override void InsertRows(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))})";
            var parameters = columns.Select(c => insert.CreateParameter()).ToArray();
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].ParameterName = $"@c{i}";
                insert.Parameters.Add(parameters[i]);
            }

            insert.Prepare();
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                insert.ExecuteNonQuery();
            }
        }


    }

    private sealed partial class PostgreSqlDialect : StoreDialect
    {
        public static readonly PostgreSqlDialect Instance = new();

        // The key of the advisory lock every write transaction takes: "notebookml" in ASCII.
        private const long WriterLock = 0x6e6f7465626f6f6b;

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> s_sources = new(StringComparer.Ordinal);



        // Metric points and materializations are never updated, so their tuples stay in insertion order.
        public override string RowOrder => "ctid";

        public override string TableExists(string table) => $"SELECT to_regclass('{table}') IS NOT NULL";

        public override string Like => "ILIKE";

        public override string Concat(string text) => $"string_agg({text}, ',')";

        public override string Number(string text) =>
            $"CASE WHEN {text} ~ '^\\s*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?\\s*$' THEN CAST({text} AS DOUBLE PRECISION) END";

        public override string OrderNumbersThenText(string text, string direction) =>
            $"{Number(text)} {direction} {(direction == "DESC" ? "NULLS FIRST" : "NULLS LAST")}, {text} {direction}";

        public override DbDataSource DataSource(StoreAddress address) => s_sources.GetOrAdd(address.Target, NpgsqlDataSource.Create);

        public override DbTransaction BeginWrite(DbConnection connection)
        {
            var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT pg_advisory_xact_lock({WriterLock})";
            command.ExecuteNonQuery();
            return transaction;
        }

        public override DbTransaction BeginAppend(DbConnection connection) => connection.BeginTransaction();

        public override void Notify(DbConnection connection, string channel)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"NOTIFY {channel}";
            command.ExecuteNonQuery();
        }

        public override IDisposable? Listen(DbDataSource source, string channel, Action changed) => new StoreListener((NpgsqlDataSource)source, channel, changed);

        public override void AfterExplicitIds(DbConnection connection, string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM {table}";
            command.ExecuteNonQuery();
        }

        public override void InsertRows(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
        {
            using var writer = ((NpgsqlConnection)connection).BeginBinaryImport($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                writer.StartRow();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null or DBNull:
                            writer.WriteNull();
                            break;
                        case string text:
                            writer.Write(text, NpgsqlTypes.NpgsqlDbType.Text);
                            break;
                        case double number:
                            writer.Write(number, NpgsqlTypes.NpgsqlDbType.Double);
                            break;
                        default:
                            writer.Write(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), NpgsqlTypes.NpgsqlDbType.Bigint);
                            break;
                    }
                }
            }

            writer.Complete();
        }

        public override string Schema(string ddl)
        {
            var text = AutoIncrement().Replace(ddl, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
            text = IntegerType().Replace(text, "BIGINT");
            text = RealType().Replace(text, "DOUBLE PRECISION");
            return WithoutRowId().Replace(text, "");
        }



        [GeneratedRegex(@"\bINTEGER PRIMARY KEY AUTOINCREMENT\b")]
        private static partial Regex AutoIncrement();

        [GeneratedRegex(@"\bINTEGER\b")]
        private static partial Regex IntegerType();

        [GeneratedRegex(@"\bREAL\b")]
        private static partial Regex RealType();

        [GeneratedRegex(@"\s+WITHOUT ROWID")]
        private static partial Regex WithoutRowId();
    }
}
