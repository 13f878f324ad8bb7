using Microsoft.Data.Analysis;
using NotebookMl.Core.Features;
using NotebookMl.Core.Options;

namespace NotebookMl.Core.Data;

/// <summary>Reads a Parquet, CSV or Arrow file into a DataFrame, optionally through a DuckDB query over it.</summary>
public static class DataFiles
{
    /// <summary>
    /// The rows of <paramref name="path"/>; with <paramref name="query"/>, the rows of that DuckDB SQL,
    /// in which the file is the relation <c>source</c> (e.g. <c>SELECT *, hour(date) AS hour FROM source</c>).
    /// </summary>
    public static DataFrame Read(string path, string? query = null)
    {
        using var session = new DuckDbSession();
        var sql = Sql(session, path, query);
        try
        {
            return session.Query(sql);
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new InvalidOptionException("query", $"DuckDB cannot run it over {path}: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>
    /// The same rows as <see cref="Read"/>, streamed from DuckDB as DataFrames of at most <paramref name="chunkRows"/> rows,
    /// so a file of any size is read in flat memory; <paramref name="rows"/> is told the total first.
    /// </summary>
    public static IEnumerable<DataFrame> ReadChunks(string path, string? query, int chunkRows, Action<long>? rows = null)
    {
        using var session = new DuckDbSession();
        var sql = Sql(session, path, query);
        DuckDB.NET.Data.DuckDBDataReader reader;
        try
        {
            if (rows is not null)
            {
                using var count = session.Connection.CreateCommand();
                count.CommandText = $"SELECT count(*) FROM ({sql})";
                rows(Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            }

            var command = session.Connection.CreateCommand();
            command.CommandText = sql;
            command.UseStreamingMode = true;
            reader = command.ExecuteReader();
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new InvalidOptionException("query", $"DuckDB cannot run it over {path}: {e.Message.Split('\n')[0]}");
        }

        using (reader)
        {
            foreach (var chunk in DataFrameReader.ReadChunks(reader, chunkRows))
            {
                yield return chunk;
            }
        }
    }

    private static string Sql(DuckDbSession session, string path, string? query)
    {
        var relation = session.Relation(path, null, new Dictionary<string, DataFrame>());
        return query is null ? $"SELECT * FROM {relation}" : $"WITH source AS (SELECT * FROM {relation}) {query.Trim().TrimEnd(';')}";
    }
}
