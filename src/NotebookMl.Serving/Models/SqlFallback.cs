using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// A fallback written as DuckDB SQL over the request: the request's rows are the table <c>request</c> (a column <c>row</c>,
/// 0, 1, …, and one per input: NAME, or NAME_0, NAME_1, … for wider inputs), and the query returns a column per output it
/// answers, with <c>row</c> to say which row each answer is for (without it, answers go to the rows in order). Relative file
/// paths in the query are found from the workspace root. E.g. the origin's historical delay rate:
/// <c>SELECT request.row, coalesce(r.late_rate, 0.2) AS probability FROM request LEFT JOIN 'origin_rates.parquet' r USING (origin)</c>.
/// One query runs at a time (fallbacks are the exception, not the load).
/// </summary>
public sealed class SqlFallback(string query, string root) : IDisposable
{
    private readonly Lock _gate = new();
    private DuckDBConnection? _connection;

    /// <summary>The query, as written.</summary>
    public string Query { get; } = query;

    /// <summary>Where the query is written (file, line and key), for errors.</summary>
    public string Where { get; init; } = "sql";

    /// <summary>
    /// Checks the query against a request of <paramref name="signature"/> with no rows: it must parse, its tables and files
    /// must exist, and it must return at least one output of the model. Otherwise an <see cref="InvalidDataException"/> saying why.
    /// </summary>
    public void Check(ModelSignature signature)
    {
        var columns = Answer(signature, [], 0).Columns;
        if (!columns.Any(c => signature.Outputs.Any(o => o.Name == c)))
        {
            throw new InvalidDataException($"the query returns {string.Join(", ", columns)}, none of the model's outputs ({string.Join(", ", signature.Outputs.Select(o => o.Name))}).");
        }
    }

    /// <summary>The outputs the query answers for <paramref name="inputs"/> (<paramref name="rows"/> rows): per output it returns, one value per row (null where it gave none).</summary>
    public SqlAnswer Answer(ModelSignature signature, IReadOnlyList<InferTensor> inputs, long rows)
    {
        var frame = new DataFrame(new Int64DataFrameColumn("row", Enumerable.Range(0, (int)rows).Select(r => (long?)r)));
        foreach (var input in signature.Inputs)
        {
            var tensor = inputs.FirstOrDefault(i => i.Name == input.Name);
            var width = input.Shape.Count > 1 && input.Shape[^1] > 1 ? (int)input.Shape[^1] : 1;
            for (var k = 0; k < width; k++)
            {
                var name = width == 1 ? input.Name : $"{input.Name}_{k}";
                frame.Columns.Add(Column(name, input.DataType, rows, r => tensor is null ? null : tensor.Data.GetValue((r * width) + k)));
            }
        }

        lock (_gate)
        {
            var connection = Connect();
            using (var drop = connection.CreateCommand())
            {
                drop.CommandText = "DROP TABLE IF EXISTS request";
                drop.ExecuteNonQuery();
            }

            DuckDbTables.Create(connection, "request", frame);
            using var command = connection.CreateCommand();
            command.CommandText = Query;
            try
            {
                using var reader = command.ExecuteReader();
                var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
                var rowAt = Array.IndexOf(names, "row");
                var values = names.ToDictionary(n => n, _ => new object?[rows], StringComparer.Ordinal);
                var next = 0L;
                while (reader.Read())
                {
                    var row = rowAt >= 0 && !reader.IsDBNull(rowAt) ? Convert.ToInt64(reader.GetValue(rowAt), CultureInfo.InvariantCulture) : next;
                    next++;
                    if (row < 0 || row >= rows)
                    {
                        continue;
                    }

                    for (var c = 0; c < names.Length; c++)
                    {
                        values[names[c]][row] = reader.IsDBNull(c) ? null : reader.GetValue(c);
                    }
                }

                return new SqlAnswer(names.Where(n => n != "row").ToArray(), values);
            }
            catch (DuckDBException e)
            {
                throw new InvalidDataException(e.Message.Split('\n')[0]);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    private DuckDBConnection Connect()
    {
        if (_connection is null)
        {
            _connection = new DuckDBConnection("DataSource=:memory:");
            _connection.Open();
            using var setup = _connection.CreateCommand();
            // One thread: a fallback must not take the cores serving requests; relative paths from the workspace root.
            setup.CommandText = $"SET threads = 1; SET file_search_path = '{root.Replace("'", "''", StringComparison.Ordinal)}'";
            setup.ExecuteNonQuery();
        }

        return _connection;
    }

    private static DataFrameColumn Column(string name, string datatype, long rows, Func<int, object?> value) => datatype switch
    {
        "FP32" or "FP64" => new DoubleDataFrameColumn(name, Enumerable.Range(0, (int)rows).Select(r => value(r) is { } v && Convert.ToDouble(v, CultureInfo.InvariantCulture) is var d && !double.IsNaN(d) ? d : (double?)null)),
        "BOOL" => new BooleanDataFrameColumn(name, Enumerable.Range(0, (int)rows).Select(r => (bool?)value(r))),
        "BYTES" => new StringDataFrameColumn(name, Enumerable.Range(0, (int)rows).Select(r => value(r) as string)),
        _ => new Int64DataFrameColumn(name, Enumerable.Range(0, (int)rows).Select(r => value(r) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : (long?)null)),
    };
}

/// <summary>What a SQL fallback returned: its columns (outputs), and per column a value for each request row (null where none).</summary>
public sealed record SqlAnswer(IReadOnlyList<string> Columns, IReadOnlyDictionary<string, object?[]> Values);
