using Apache.Arrow;
using Apache.Arrow.Types;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>
/// A <see cref="DataFrame"/> as one Arrow record batch, date-times included (the DataFrame library
/// cannot convert a DateTime column; here it becomes an Arrow timestamp in microseconds, UTC).
/// </summary>
public static class ArrowConversion
{
    /// <summary>Converts <paramref name="frame"/>; nulls are kept.</summary>
    public static RecordBatch ToRecordBatch(DataFrame frame)
    {
        var fields = new List<Field>();
        var arrays = new List<IArrowArray>();
        foreach (var column in frame.Columns)
        {
            var (type, array) = Convert(column);
            fields.Add(new Field(column.Name, type, nullable: true));
            arrays.Add(array);
        }

        return new RecordBatch(new Schema(fields, null), arrays, (int)frame.Rows.Count);
    }

    private static (IArrowType Type, IArrowArray Array) Convert(DataFrameColumn column)
    {
        switch (column)
        {
            case DateTimeDataFrameColumn dates:
                var timestamps = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
                foreach (var value in dates)
                {
                    if (value is { } d)
                    {
                        timestamps.Append(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)));
                    }
                    else
                    {
                        timestamps.AppendNull();
                    }
                }

                var built = timestamps.Build();
                return (built.Data.DataType, built);
            case StringDataFrameColumn strings:
                var text = new StringArray.Builder();
                foreach (var value in strings)
                {
                    if (value is null)
                    {
                        text.AppendNull();
                    }
                    else
                    {
                        text.Append(value);
                    }
                }

                return (StringType.Default, text.Build());
            default:
                var batch = new DataFrame(column).ToArrowRecordBatches().Single();
                return (batch.Schema.GetFieldByIndex(0).DataType, batch.Column(0));
        }
    }
}
