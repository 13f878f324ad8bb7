using Parquet;
using Parquet.Schema;

namespace NotebookMl.Serving.Predictions;

/// <summary>
/// Writes a <see cref="PredictionBuffer"/> as one Parquet file (one row group): the fixed columns (time, version, route,
/// entry, request_id, row, latency_ms, fallback), then a column per input and output.
/// </summary>
internal static class PredictionParquet
{
    public static async Task<int> WriteAsync(PredictionBuffer buffer, string entryPrefix, string path)
    {
        var rows = buffer.Rows;
        var columns = buffer.Fixed().Concat(buffer.Tensors).ToArray();
        var fields = columns.Select(c => c == buffer.Entry ? new DataField<string>("entry") : Field(c)).ToArray();
        var schema = new ParquetSchema(fields);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        for (var c = 0; c < columns.Length; c++)
        {
            var (column, field) = (columns[c], schema.DataFields[c]);
            if (column == buffer.Entry)
            {
                // The log's id of each request: this process's prefix and the request's number.
                if (buffer.EntryTexts.Length < rows)
                {
                    buffer.EntryTexts = new string?[column.Longs!.Length];
                }

                for (var r = 0; r < rows; r++)
                {
                    buffer.EntryTexts[r] = $"{entryPrefix}-{column.Longs![r]}";
                }

                await group.WriteAsync(field, new ArraySegment<string?>(buffer.EntryTexts, 0, rows));
                Array.Clear(buffer.EntryTexts, 0, rows);
                continue;
            }

            await (column.Kind switch
            {
                PredictionColumnKind.Time => group.WriteAsync<DateTime>(field, column.Times.AsMemory(0, rows)),
                PredictionColumnKind.Double => group.WriteAsync<double>(field, column.Doubles.AsMemory(0, rows)),
                PredictionColumnKind.Integer => group.WriteAsync<long>(field, column.Longs.AsMemory(0, rows)),
                PredictionColumnKind.Boolean => group.WriteAsync<bool>(field, column.Booleans.AsMemory(0, rows)),
                _ => group.WriteAsync(field, new ArraySegment<string?>(column.Texts!, 0, rows)),
            });
        }

        group.CompleteValidate();
        return rows;
    }

    private static DataField Field(PredictionColumn column) => column.Kind switch
    {
        PredictionColumnKind.Time => new DataField<DateTime>(column.Name),
        PredictionColumnKind.Double => new DataField<double?>(column.Name),
        PredictionColumnKind.Integer => new DataField<long?>(column.Name),
        PredictionColumnKind.Boolean => new DataField<bool?>(column.Name),
        _ => new DataField<string>(column.Name),
    };
}
