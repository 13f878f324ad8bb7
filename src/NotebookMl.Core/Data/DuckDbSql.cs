using System.Globalization;

namespace NotebookMl.Core.Data;

/// <summary>Writing DuckDB SQL safely: quoted identifiers and literals, timestamps and intervals.</summary>
internal static class DuckDbSql
{
    /// <summary>An identifier in double quotes (inner quotes doubled).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal in single quotes (inner quotes doubled).</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A list of string literals (<c>['a', 'b']</c>), as <c>read_parquet</c> takes several files.</summary>
    public static string List(IEnumerable<string> texts) => "[" + string.Join(", ", texts.Select(Literal)) + "]";

    /// <summary>A timestamp literal to the microsecond.</summary>
    public static string Timestamp(DateTime time) => $"TIMESTAMP '{time.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'";

    /// <summary>A span in seconds, for <c>INTERVAL 'N seconds'</c>.</summary>
    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>True for DuckDB's integer, floating-point and decimal types (as DESCRIBE names them).</summary>
    public static bool IsNumeric(string type)
    {
        var upper = type.ToUpperInvariant();
        return upper is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" or "UHUGEINT" or "FLOAT" or "DOUBLE"
            || upper.StartsWith("DECIMAL", StringComparison.Ordinal);
    }
}
