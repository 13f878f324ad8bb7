using System.Runtime.InteropServices;

namespace NotebookMl.Core.Data;

/// <summary>
/// The few functions of DuckDB's C API (duckdb.h) that read a result a chunk at a time: the native
/// library is the one DuckDB.NET ships, already loaded by the connection.
/// </summary>
internal static partial class DuckDbNative
{
    private const string Library = "duckdb";

    /// <summary><c>duckdb_result</c>: six pointer-sized fields, all opaque here.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Result
    {
        public ulong DeprecatedColumnCount;
        public ulong DeprecatedRowCount;
        public ulong DeprecatedRowsChanged;
        public IntPtr DeprecatedColumns;
        public IntPtr DeprecatedErrorMessage;
        public IntPtr InternalData;
    }

    [LibraryImport(Library, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Query(IntPtr connection, string sql, out Result result);

    [LibraryImport(Library, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Prepare(IntPtr connection, string sql, out IntPtr prepared);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_prepare")]
    public static partial void DestroyPrepare(ref IntPtr prepared);

    /// <summary>Runs a prepared statement whose result is fetched as the query produces it, never materialized.</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_execute_prepared_streaming")]
    public static partial int ExecuteStreaming(IntPtr prepared, out Result result);

    [LibraryImport(Library, EntryPoint = "duckdb_result_error")]
    public static partial IntPtr ResultError(ref Result result);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_result")]
    public static partial void DestroyResult(ref Result result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_count")]
    public static partial ulong ColumnCount(ref Result result);

    [LibraryImport(Library, EntryPoint = "duckdb_column_name")]
    public static partial IntPtr ColumnName(ref Result result, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_column_type")]
    public static partial int ColumnType(ref Result result, ulong column);

    /// <summary>The rows of a materialized result (deprecated in duckdb.h but kept: it sizes the copy once).</summary>
    [LibraryImport(Library, EntryPoint = "duckdb_row_count")]
    public static partial ulong RowCount(ref Result result);

    [LibraryImport(Library, EntryPoint = "duckdb_fetch_chunk")]
    public static partial IntPtr FetchChunk(Result result);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_size")]
    public static partial ulong ChunkSize(IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_data_chunk_get_vector")]
    public static partial IntPtr ChunkVector(IntPtr chunk, ulong column);

    [LibraryImport(Library, EntryPoint = "duckdb_destroy_data_chunk")]
    public static partial void DestroyChunk(ref IntPtr chunk);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_data")]
    public static partial IntPtr VectorData(IntPtr vector);

    [LibraryImport(Library, EntryPoint = "duckdb_vector_get_validity")]
    public static partial IntPtr VectorValidity(IntPtr vector);
}
