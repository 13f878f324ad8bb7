using Parquet;
using Parquet.Schema;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Predictions;

/// <summary>
/// Writes prediction records as one Parquet file: the fixed columns (time, version, route, entry, request_id, row,
/// latency_ms, fallback), then a column per input and output. A tensor of N rows gives each row its slice: one column for
/// [N] or [N, 1], NAME_0, NAME_1, … for wider rows. Floats are written as doubles (NaN as null), integers as int64.
/// Columns are filled straight from the tensors' arrays, without a value per cell on the heap.
/// </summary>
internal static class PredictionParquet
{
    public static async Task<int> WriteAsync(IReadOnlyList<PredictionRecord> records, string path)
    {
        var rows = new int[records.Count];
        var total = 0;
        var columns = new Dictionary<string, TensorColumn>(StringComparer.Ordinal);
        var order = new List<TensorColumn>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            rows[i] = (int)(record.Request.Inputs.FirstOrDefault(t => t.Shape.Length > 0)?.Shape[0] ?? 1);
            foreach (var tensor in record.Request.Inputs.Concat(record.Outputs))
            {
                var width = rows[i] == 0 ? 0 : tensor.Data.Length / rows[i];
                for (var k = 0; k < width; k++)
                {
                    var name = width == 1 ? tensor.Name : $"{tensor.Name}_{k}";
                    if (!columns.ContainsKey(name))
                    {
                        var column = new TensorColumn(name, Kind(tensor.DataType));
                        columns[name] = column;
                        order.Add(column);
                    }
                }
            }

            total += rows[i];
        }

        var (time, version, route, entry, id, row, latency, fallback) =
            (new DateTime[total], new long[total], new string?[total], new string?[total], new string?[total], new long[total], new double[total], new string?[total]);
        foreach (var column in order)
        {
            column.Allocate(total);
        }

        var at = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            for (var r = 0; r < rows[i]; r++)
            {
                (time[at + r], version[at + r], route[at + r], entry[at + r], id[at + r], row[at + r], latency[at + r], fallback[at + r]) =
                    (record.Time, record.Version, record.Route, record.Entry, record.Request.Id, r, record.LatencyMs, record.Fallback);
            }

            foreach (var tensor in record.Request.Inputs.Concat(record.Outputs))
            {
                var width = rows[i] == 0 ? 0 : tensor.Data.Length / rows[i];
                for (var k = 0; k < width; k++)
                {
                    columns[width == 1 ? tensor.Name : $"{tensor.Name}_{k}"].Fill(tensor.Data, at, rows[i], width, k);
                }
            }

            at += rows[i];
        }

        var fixedFields = new DataField[]
        {
            new DataField<DateTime>("time"), new DataField<long>("version"), new DataField<string>("route"), new DataField<string>("entry"),
            new DataField<string>("request_id"), new DataField<long>("row"), new DataField<double>("latency_ms"), new DataField<string>("fallback"),
        };
        var schema = new ParquetSchema(fixedFields.Concat(order.Select(c => c.Field)).ToArray());
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            using var group = writer.CreateRowGroup();
            var fields = schema.DataFields;
            await group.WriteAsync<DateTime>(fields[0], time);
            await group.WriteAsync<long>(fields[1], version);
            await group.WriteAsync(fields[2], route);
            await group.WriteAsync(fields[3], entry);
            await group.WriteAsync(fields[4], id);
            await group.WriteAsync<long>(fields[5], row);
            await group.WriteAsync<double>(fields[6], latency);
            await group.WriteAsync(fields[7], fallback);
            for (var c = 0; c < order.Count; c++)
            {
                await order[c].WriteAsync(group, fields[fixedFields.Length + c]);
            }

            group.CompleteValidate();
        }

        return total;
    }

    private static ColumnKind Kind(string dataType) => dataType switch
    {
        "FP32" or "FP64" or "FP16" or "BF16" => ColumnKind.Double,
        "BOOL" => ColumnKind.Boolean,
        "BYTES" => ColumnKind.Text,
        _ => ColumnKind.Integer,
    };

    private enum ColumnKind
    {
        Double,
        Integer,
        Boolean,
        Text,
    }

    /// <summary>One tensor column: typed, nullable (a row whose request lacked the tensor, or a NaN, is null).</summary>
    private sealed class TensorColumn(string name, ColumnKind kind)
    {
        private double?[]? _doubles;
        private long?[]? _longs;
        private bool?[]? _booleans;
        private string?[]? _texts;

        public DataField Field { get; } = kind switch
        {
            ColumnKind.Double => new DataField<double?>(name),
            ColumnKind.Integer => new DataField<long?>(name),
            ColumnKind.Boolean => new DataField<bool?>(name),
            _ => new DataField<string>(name),
        };

        public void Allocate(int rows)
        {
            switch (kind)
            {
                case ColumnKind.Double: _doubles = new double?[rows]; break;
                case ColumnKind.Integer: _longs = new long?[rows]; break;
                case ColumnKind.Boolean: _booleans = new bool?[rows]; break;
                default: _texts = new string?[rows]; break;
            }
        }

        /// <summary>Copies element k of each of <paramref name="rows"/> rows of <paramref name="width"/> into this column from row <paramref name="at"/>.</summary>
        public void Fill(Array data, int at, int rows, int width, int k)
        {
            switch (data)
            {
                case float[] f when _doubles is not null:
                    for (var r = 0; r < rows; r++)
                    {
                        var v = f[(r * width) + k];
                        _doubles[at + r] = float.IsNaN(v) ? null : v;
                    }

                    break;
                case double[] d when _doubles is not null:
                    for (var r = 0; r < rows; r++)
                    {
                        var v = d[(r * width) + k];
                        _doubles[at + r] = double.IsNaN(v) ? null : v;
                    }

                    break;
                case long[] l when _longs is not null:
                    for (var r = 0; r < rows; r++)
                    {
                        _longs[at + r] = l[(r * width) + k];
                    }

                    break;
                case int[] n when _longs is not null:
                    for (var r = 0; r < rows; r++)
                    {
                        _longs[at + r] = n[(r * width) + k];
                    }

                    break;
                case bool[] b when _booleans is not null:
                    for (var r = 0; r < rows; r++)
                    {
                        _booleans[at + r] = b[(r * width) + k];
                    }

                    break;
                default:
                    // Text columns, and a tensor whose datatype differs from the column's first (written as text when the column is).
                    for (var r = 0; _texts is not null && r < rows; r++)
                    {
                        _texts[at + r] = Convert.ToString(data.GetValue((r * width) + k), System.Globalization.CultureInfo.InvariantCulture);
                    }

                    break;
            }
        }

        public Task WriteAsync(ParquetRowGroupWriter group, DataField field) => kind switch
        {
            ColumnKind.Double => group.WriteAsync<double>(field, _doubles),
            ColumnKind.Integer => group.WriteAsync<long>(field, _longs),
            ColumnKind.Boolean => group.WriteAsync<bool>(field, _booleans),
            _ => group.WriteAsync(field, _texts!),
        };
    }
}
