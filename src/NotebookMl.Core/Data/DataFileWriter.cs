using Apache.Arrow.Ipc;
using DuckDB.NET.Data;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>
/// Writes DataFrames chunk by chunk into one Parquet, CSV or Arrow IPC file, by its extension, in flat memory: CSV and
/// Arrow are appended as they come; Parquet rows are staged in an on-disk DuckDB database and copied out by DuckDB
/// when <see cref="Complete"/> is called. Nothing is at <see cref="Path"/> until then; a writer disposed without
/// completing leaves no file.
/// </summary>
public sealed class DataFileWriter : IDisposable
{
    private readonly string _staging;
    private readonly string _format;
    private Stream? _stream;
    private ArrowFileWriter? _arrow;
    private DuckDBConnection? _duckdb;
    private long _rows;
    private bool _completed;

    /// <summary>A writer of <paramref name="path"/>: .parquet, .csv or .arrow/.feather/.ipc.</summary>
    public DataFileWriter(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _format = System.IO.Path.GetExtension(Path).ToLowerInvariant() switch
        {
            ".parquet" => "parquet",
            ".csv" => "csv",
            ".arrow" or ".feather" or ".ipc" => "arrow",
            var other => throw new Options.InvalidOptionException("path", $"{Path}: '{other}' files are not written; use .parquet, .csv or .arrow."),
        };
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        _staging = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.partial");
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Rows written so far.</summary>
    public long Rows => _rows;

    /// <summary>Appends <paramref name="chunk"/>; every chunk must have the first one's columns.</summary>
    public void Append(DataFrame chunk)
    {
        switch (_format)
        {
            case "csv":
                _stream ??= File.Create(_staging);
                using (var buffer = new MemoryStream())
                {
                    DataFrame.SaveCsv(chunk, buffer, header: _rows == 0, cultureInfo: System.Globalization.CultureInfo.InvariantCulture);
                    buffer.Position = 0;
                    buffer.CopyTo(_stream);
                }

                break;
            case "arrow":
                foreach (var batch in chunk.ToArrowRecordBatches())
                {
                    if (_arrow is null)
                    {
                        _stream = File.Create(_staging);
                        _arrow = new ArrowFileWriter(_stream, batch.Schema, leaveOpen: true);
                    }

                    _arrow.WriteRecordBatch(batch);
                }

                break;
            default:
                if (_duckdb is null)
                {
                    _duckdb = new DuckDBConnection($"DataSource={_staging}");
                    _duckdb.Open();
                    DuckDbTables.Create(_duckdb, "rows", chunk, temporary: false);
                }
                else
                {
                    DuckDbTables.Append(_duckdb, "rows", chunk);
                }

                break;
        }

        _rows += chunk.Rows.Count;
    }

    /// <summary>Finishes the file and moves it into place.</summary>
    public void Complete()
    {
        switch (_format)
        {
            case "arrow":
                _arrow?.WriteEnd();
                _arrow?.Dispose();
                break;
            case "parquet" when _duckdb is not null:
                using (var copy = _duckdb.CreateCommand())
                {
                    copy.CommandText = $"COPY rows TO {DuckDbSql.Literal(_staging + ".parquet")} (FORMAT parquet)";
                    copy.ExecuteNonQuery();
                }

                _duckdb.Dispose();
                _duckdb = null;
                File.Delete(_staging);
                File.Move(_staging + ".parquet", _staging);
                break;
        }

        _stream?.Dispose();
        _stream = null;
        if (!File.Exists(_staging))
        {
            throw new InvalidOperationException($"{Path}: no rows were written.");
        }

        File.Move(_staging, Path, overwrite: true);
        _completed = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _arrow?.Dispose();
        _stream?.Dispose();
        _duckdb?.Dispose();
        if (!_completed)
        {
            foreach (var leftover in new[] { _staging, _staging + ".parquet", _staging + ".wal" })
            {
                File.Delete(leftover);
            }
        }
    }
}
