using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Profiling;

/// <summary>Computes per-column statistics of a <see cref="DataFrame"/> as a <see cref="Table"/>.</summary>
public static class DataProfiler
{
    /// <summary>One row per column: name, type, count, nulls, mean, std, min, max, distinct values.</summary>
    public static Table Profile(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var rows = frame.Columns.Select(column => (IReadOnlyList<string>)Describe(column)).ToArray();
        return new Table(["column", "type", "count", "nulls", "mean", "std", "min", "max", "distinct"], rows)
        {
            Title = $"{frame.Rows.Count} rows × {frame.Columns.Count} columns",
        };
    }

    private static string[] Describe(DataFrameColumn column)
    {
        var values = Enumerable.Range(0, (int)column.Length).Select(i => column[i]).ToArray();
        var present = values.Where(v => v is not null).ToArray();
        var distinct = present.Distinct().Count().ToString(CultureInfo.InvariantCulture);
        var common = new[] { column.Name, column.DataType.Name, present.Length.ToString(CultureInfo.InvariantCulture), (values.Length - present.Length).ToString(CultureInfo.InvariantCulture) };
        if (!IsNumeric(column.DataType) || present.Length == 0)
        {
            var ordered = present.Select(v => v.ToString() ?? "").Order(StringComparer.Ordinal).ToArray();
            return [.. common, "", "", ordered.FirstOrDefault() ?? "", ordered.LastOrDefault() ?? "", distinct];
        }

        var numbers = present.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToArray();
        var mean = numbers.Average();
        var std = numbers.Length > 1 ? Math.Sqrt(numbers.Sum(x => (x - mean) * (x - mean)) / (numbers.Length - 1)) : 0;
        return [.. common, Format(mean), Format(std), Format(numbers.Min()), Format(numbers.Max()), distinct];
    }

    private static bool IsNumeric(Type type) =>
        type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long)
        || type == typeof(short) || type == typeof(byte) || type == typeof(decimal) || type == typeof(uint) || type == typeof(ulong);

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
