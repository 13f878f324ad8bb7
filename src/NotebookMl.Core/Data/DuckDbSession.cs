using DuckDB.NET.Data;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>A connection to an in-memory DuckDB database that reads feature sources: files by path, DataFrames as temporary tables.</summary>
internal sealed class DuckDbSession : IDisposable
{
    private readonly Dictionary<string, string> _registered = new(StringComparer.Ordinal);
    private int _tables;

    /// <summary>A session on a database of its own.</summary>
    public DuckDbSession()
        : this(new DuckDBConnection("DataSource=:memory:"))
    {
    }

    /// <summary>A session on <paramref name="connection"/>'s database (a new connection when it is open, else that one opened).</summary>
    public DuckDbSession(DuckDBConnection connection)
    {
        Connection = connection.State == System.Data.ConnectionState.Open ? connection.Duplicate() : connection;
        if (Connection.State != System.Data.ConnectionState.Open)
        {
            Connection.Open();
        }
    }

    public DuckDBConnection Connection { get; }

    /// <summary>A relation for <paramref name="source"/>: <c>read_parquet(…)</c>, <c>read_csv(…)</c>, or a table holding a DataFrame or Arrow file.</summary>
    public string Relation(string source, string? baseDirectory, IReadOnlyDictionary<string, DataFrame> frames)
    {
        if (source.StartsWith("dataframe:", StringComparison.Ordinal))
        {
            var name = source["dataframe:".Length..];
            return frames.TryGetValue(name, out var frame)
                ? Register(source, frame)
                : throw new ArgumentException($"source '{source}': no DataFrame registered as '{name}' in this process; register it with FeatureStore.RegisterDataFrame(\"{name}\", frame).");
        }

        var path = Path.GetFullPath(source, baseDirectory ?? Environment.CurrentDirectory);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"source {path} not found.");
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" => $"read_parquet({DuckDbSql.Literal(path)})",
            ".csv" or ".tsv" or ".txt" => $"read_csv({DuckDbSql.Literal(path)}, header = true)",
            ".arrow" or ".feather" or ".ipc" => Register(path, ArrowFiles.Read(path)),
            var other => throw new ArgumentException($"source {path}: '{other}' files are not read; use Parquet, CSV, Arrow IPC or a DataFrame."),
        };
    }

    /// <summary>Copies <paramref name="frame"/> into a temporary table; returns its name.</summary>
    public string Register(string key, DataFrame frame)
    {
        if (_registered.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var table = $"frame_{++_tables}";
        DuckDbTables.Create(Connection, table, frame);
        _registered[key] = table;
        return table;
    }

    /// <summary>Runs <paramref name="sql"/> and reads the result.</summary>
    public DataFrame Query(string sql, bool textAsArrow = false, int? streamRows = null) => DuckDbChunkReader.Read(Connection, sql, textAsArrow, streamRows);

    /// <summary>A second connection to the same database, for a query run at the same time (temporary tables are not shared).</summary>
    public DuckDbSession Duplicate() => new(Connection);

    /// <summary>Runs a statement.</summary>
    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => Connection.Dispose();
}
