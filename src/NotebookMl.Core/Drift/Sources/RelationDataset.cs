using System.Globalization;
using DuckDB.NET.Data;
using NotebookMl.Core.Data;
using NotebookMl.Core.Drift;

namespace NotebookMl.Core.Drift.Sources;

/// <summary>
/// A data set DuckDB reads: a file, a query over one, a DataFrame, a feature view's rows or the prediction log. Each column
/// is read by a query of its own on a connection of its own, so columns are read in parallel and only one column's values
/// are held at a time; DuckDB sorts and counts out of core.
/// </summary>
public sealed class RelationDataset : IDriftDataset
{
    private readonly DuckDBConnection _root;
    private readonly string _relation;

    /// <summary>
    /// Opens <paramref name="relation"/> (SQL naming a table, a view or a subquery) on <paramref name="root"/>, which it then
    /// owns. With <paramref name="materialize"/> its rows are first copied into a DuckDB table: a CSV file or a query would
    /// otherwise be parsed or run again for every column; Parquet is read a column at a time as it is.
    /// </summary>
    public RelationDataset(DuckDBConnection root, string relation, string description, bool materialize = false)
    {
        (_root, _relation, Description) = (root, relation, description);
        using var command = root.CreateCommand();
        if (materialize)
        {
            command.CommandText = $"CREATE TABLE drift_rows AS SELECT * FROM {relation}";
            command.ExecuteNonQuery();
            _relation = "drift_rows";
        }

        command.CommandText = $"SELECT count(*) FROM {_relation}";
        Rows = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        command.CommandText = $"DESCRIBE SELECT * FROM {_relation}";
        using var reader = command.ExecuteReader();
        var columns = new List<DriftColumnInfo>();
        while (reader.Read())
        {
            var type = reader.GetString(1);
            columns.Add(new DriftColumnInfo(reader.GetString(0), KindOf(type), type));
        }

        Columns = columns;
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public long Rows { get; }

    /// <inheritdoc/>
    public IReadOnlyList<DriftColumnInfo> Columns { get; }

    /// <summary>The kind of a DuckDB type.</summary>
    public static DriftColumnKind KindOf(string type)
    {
        var upper = type.ToUpperInvariant();
        return upper switch
        {
            _ when DuckDbSql.IsNumeric(upper) => DriftColumnKind.Numeric,
            "VARCHAR" or "BOOLEAN" or "UUID" => DriftColumnKind.Categorical,
            _ when upper.StartsWith("ENUM", StringComparison.Ordinal) => DriftColumnKind.Categorical,
            "DATE" or "TIME" => DriftColumnKind.Temporal,
            _ when upper.StartsWith("TIMESTAMP", StringComparison.Ordinal) => DriftColumnKind.Temporal,
            _ => DriftColumnKind.Other,
        };
    }

    /// <inheritdoc/>
    public ColumnDistribution Read(DriftColumnInfo column, bool categorical)
    {
        using var connection = _root.Duplicate();
        connection.Open();
        using var command = connection.CreateCommand();
        var quoted = DuckDbSql.Quote(column.Name);
        if (categorical)
        {
            command.CommandText = $"SELECT v, count(*) FROM (SELECT CAST({quoted} AS VARCHAR) AS v FROM {_relation}) WHERE v IS NOT NULL AND v <> '' GROUP BY v";
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    counts[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            return ColumnDistribution.Categorical(column.Name, counts, Rows - counts.Values.Sum());
        }

        var value = column.Kind == DriftColumnKind.Temporal ? $"epoch(CAST({quoted} AS TIMESTAMP))" : $"CAST({quoted} AS DOUBLE)";
        command.CommandText = $"SELECT v FROM (SELECT {value} AS v FROM {_relation}) WHERE v IS NOT NULL AND NOT isnan(v) ORDER BY v";
        command.UseStreamingMode = true;
        var values = new List<double>(Rows > int.MaxValue ? int.MaxValue : (int)Rows);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                values.Add(reader.GetDouble(0));
            }
        }

        return ColumnDistribution.Numeric(column.Name, values.ToArray(), Rows - values.Count);
    }

    /// <inheritdoc/>
    public void Dispose() => _root.Dispose();
}
