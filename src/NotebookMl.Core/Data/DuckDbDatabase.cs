using DuckDB.NET.Data;

namespace NotebookMl.Core.Data;

/// <summary>
/// The in-memory DuckDB database of a feature store, opened on first use: each query runs in a
/// <see cref="DuckDbSession"/> connected to it (temporary tables stay per session). One database for
/// the store's life means DuckDB's allocator keeps the memory of one query for the next (fresh memory
/// costs a page fault per 4 KiB) and no database, with its thread pool, is started per call.
/// </summary>
internal sealed class DuckDbDatabase : IDisposable
{
    private readonly Lazy<DuckDBConnection> _root = new(() =>
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    });

    /// <summary>A new session on this database.</summary>
    public DuckDbSession Session() => new(_root.Value);

    public void Dispose()
    {
        if (_root.IsValueCreated)
        {
            _root.Value.Dispose();
        }
    }
}
