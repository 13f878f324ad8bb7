using DuckDB.NET.Data;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>Copies a DataFrame into a DuckDB table with the DuckDB appender.</summary>
public static class DuckDbTables
{
    /// <summary>Creates table <paramref name="table"/> (temporary unless told otherwise) holding <paramref name="frame"/>.</summary>
    public static void Create(DuckDBConnection connection, string table, DataFrame frame, bool temporary = true)
    {
        var columns = frame.Columns.Select(c => $"\"{c.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" {SqlType(c)}");
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE {(temporary ? "TEMP " : "")}TABLE {table} ({string.Join(", ", columns)})";
            create.ExecuteNonQuery();
        }

        Append(connection, table, frame);
    }

    /// <summary>Appends <paramref name="frame"/>'s rows to <paramref name="table"/>, which has its columns.</summary>
    public static void Append(DuckDBConnection connection, string table, DataFrame frame)
    {
        using var appender = connection.CreateAppender(table);
        for (long row = 0; row < frame.Rows.Count; row++)
        {
            var line = appender.CreateRow();
            foreach (var column in frame.Columns)
            {
                line = Append(line, column, column[row]);
            }

            line.EndRow();
        }
    }

    private static IDuckDBAppenderRow Append(IDuckDBAppenderRow row, DataFrameColumn column, object? value) => value switch
    {
        null => row.AppendNullValue(),
        DateTime d => row.AppendValue(d),
        string s => row.AppendValue(s),
        bool b => row.AppendValue(b),
        double d => row.AppendValue(d),
        float f => row.AppendValue((double)f),
        long l => row.AppendValue(l),
        int i => row.AppendValue((long)i),
        short s => row.AppendValue((long)s),
        byte b => row.AppendValue((long)b),
        decimal m => row.AppendValue((double)m),
        _ => throw new NotSupportedException($"column {column.Name}: values of type {value.GetType().Name} cannot be copied to DuckDB."),
    };

    private static string SqlType(DataFrameColumn column) => column.DataType switch
    {
        var t when t == typeof(DateTime) => "TIMESTAMP",
        var t when t == typeof(string) => "VARCHAR",
        var t when t == typeof(bool) => "BOOLEAN",
        var t when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "DOUBLE",
        var t when t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(byte) => "BIGINT",
        var t => throw new NotSupportedException($"column {column.Name}: {t.Name} columns cannot be copied to DuckDB."),
    };
}
