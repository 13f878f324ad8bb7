using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Commands on either engine: parameters bound the same way on both (booleans as 0/1, times as the text SQLite stores),
/// and write transactions with the engine's writer lock.
/// </summary>
public static class StoreCommands
{
    /// <summary>Binds <paramref name="value"/> (null for SQL NULL) to <c>@name</c>.</summary>
    public static DbParameter AddWithValue(this DbParameterCollection parameters, string name, object? value)
    {
        var stored = Stored(value);
        return parameters switch
        {
            SqliteParameterCollection sqlite => sqlite.AddWithValue(name, stored),
            NpgsqlParameterCollection postgres => postgres.AddWithValue(name, stored),
            _ => throw new NotSupportedException($"no store dialect for {parameters.GetType().Name}."),
        };
    }

    /// <summary>A parameter <c>@name</c> of <paramref name="type"/>, to set before each execution of a prepared command.</summary>
    public static DbParameter Parameter(this DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// A transaction that holds the store's writer lock from its start, so what it reads stays true until it commits
    /// (SQLite: <c>BEGIN IMMEDIATE</c>; PostgreSQL: a transaction-scoped advisory lock).
    /// </summary>
    public static DbTransaction BeginWrite(this DbConnection connection) => StoreDialect.Of(connection).BeginWrite(connection);

    /// <summary>A transaction for appends that read nothing they depend on: no writer lock where the engine allows it.</summary>
    public static DbTransaction BeginAppend(this DbConnection connection) => StoreDialect.Of(connection).BeginAppend(connection);

    /// <summary>The value as the store keeps it.</summary>
    internal static object Stored(object? value) => value switch
    {
        null => DBNull.Value,
        bool b => b ? 1L : 0L,
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        _ => value,
    };
}
