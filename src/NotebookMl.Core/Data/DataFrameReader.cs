using System.Data.Common;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>Turns query results (a DuckDB or SQLite data reader) into a <see cref="DataFrame"/>, nulls kept.</summary>
public static class DataFrameReader
{
    /// <summary>Reads every row of <paramref name="reader"/>; column types follow the reader's field types.</summary>
    public static DataFrame Read(DbDataReader reader)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => Column(reader.GetName(i), reader.GetFieldType(i))).ToArray();
        var appenders = columns.Select((c, i) => Appender(c, reader.GetFieldType(i), i)).ToArray();
        while (reader.Read())
        {
            for (var i = 0; i < appenders.Length; i++)
            {
                appenders[i](reader);
            }
        }

        return new DataFrame(columns);
    }

    private static DataFrameColumn Column(string name, Type type) => type switch
    {
        _ when type == typeof(long) => new Int64DataFrameColumn(name),
        _ when type == typeof(int) => new Int32DataFrameColumn(name),
        _ when type == typeof(short) => new Int16DataFrameColumn(name),
        _ when type == typeof(byte) || type == typeof(sbyte) => new Int32DataFrameColumn(name),
        _ when type == typeof(ulong) || type == typeof(uint) || type == typeof(System.Numerics.BigInteger) => new Int64DataFrameColumn(name),
        _ when type == typeof(double) || type == typeof(decimal) => new DoubleDataFrameColumn(name),
        _ when type == typeof(float) => new SingleDataFrameColumn(name),
        _ when type == typeof(bool) => new BooleanDataFrameColumn(name),
        _ when type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(DateTimeOffset) => new DateTimeDataFrameColumn(name),
        _ => new StringDataFrameColumn(name),
    };

    private static Action<DbDataReader> Appender(DataFrameColumn column, Type type, int i) => column switch
    {
        Int64DataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)),
        Int32DataFrameColumn c when type == typeof(int) => r => c.Append(r.IsDBNull(i) ? null : r.GetInt32(i)),
        Int32DataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : Convert.ToInt32(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)),
        Int16DataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : r.GetInt16(i)),
        DoubleDataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)),
        SingleDataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : r.GetFloat(i)),
        BooleanDataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : r.GetBoolean(i)),
        DateTimeDataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : ToDateTime(r.GetValue(i))),
        StringDataFrameColumn c => r => c.Append(r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"column {column.Name}: {column.DataType} is not read"),
    };

    private static DateTime ToDateTime(object value) => value switch
    {
        DateTime d => d,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset d => d.UtcDateTime,
        _ => Convert.ToDateTime(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
