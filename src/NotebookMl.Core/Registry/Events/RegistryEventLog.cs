using System.Data.Common;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Storage;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry.Events;

/// <summary>The registry's append-only event log (table <c>registry_events</c>): written in the same transaction as the change it records.</summary>
internal static class RegistryEventLog
{
    /// <summary>The channel a shared store notifies when an event commits, so followers (endpoints) wake at once.</summary>
    public const string Channel = "notebookml_registry";

    public static RegistryEvent Append(DbConnection connection, string type, string name, int? version, string? alias, int? from, DateTimeOffset time, string who)
    {
        StoreDialect.Of(connection).Notify(connection, Channel);
        var id = (long)Scalar(connection, "INSERT INTO registry_events (type, name, version, alias, from_version, time, who) VALUES (@t, @n, @v, @a, @f, @time, @w) RETURNING id",
            ("@t", type), ("@n", name), ("@v", version), ("@a", alias), ("@f", from), ("@time", TimeText(time)), ("@w", who))!;
        return new RegistryEvent(id, type, name, version, alias, from, time, who);
    }

    public static IReadOnlyList<RegistryEvent> After(WorkspaceDatabase database, long after, int limit = 1000)
    {
        using var connection = database.Connect();
        using var command = Command(connection, "SELECT id, type, name, version, alias, from_version, time, who FROM registry_events WHERE id > @after ORDER BY id LIMIT @limit",
            ("@after", after), ("@limit", limit));
        using var reader = command.ExecuteReader();
        var events = new List<RegistryEvent>();
        while (reader.Read())
        {
            events.Add(Event(reader));
        }

        return events;
    }

    private static RegistryEvent Event(DbDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt32(5), ParseTime(reader.GetString(6)), reader.GetString(7));

    public static RegistryEvent? Read(DbConnection connection, long id)
    {
        using var command = Command(connection, "SELECT id, type, name, version, alias, from_version, time, who FROM registry_events WHERE id = @id", ("@id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Event(reader) : null;
    }

    public static long Last(WorkspaceDatabase database)
    {
        using var connection = database.Connect();
        return Scalar(connection, "SELECT COALESCE(MAX(id), 0) FROM registry_events") is long id ? id : 0;
    }
}
