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
        var relation = session.Relation(path, null, new Dictionary<string, DataFrame>());
        try
        {
            return session.Query(query is null ? $"SELECT * FROM {relation}" : $"WITH source AS (SELECT * FROM {relation}) {query.Trim().TrimEnd(';')}");
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new InvalidOptionException("query", $"DuckDB cannot run it over {path}: {e.Message.Split('\n')[0]}");
        }
    }
}
