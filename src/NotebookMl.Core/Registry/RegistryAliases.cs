using System.Data.Common;
using System.Text.Json;
using NotebookMl.Core.Registry.Events;
using NotebookMl.Core.Storage;
using static NotebookMl.Core.Registry.RegistryQueries;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry;

/// <summary>
/// Alias writes: each moves or deletes an alias, appends the change to the history and the event to the log, in one
/// immediate transaction. The caller delivers the event to webhooks after the commit.
/// </summary>
internal static class RegistryAliases
{
    public static (AliasChange Change, RegistryEvent Event) Move(WorkspaceDatabase database, string name, string alias, int version, string? reason, IReadOnlyList<GateResult> gates, int? expectedFrom, bool checkExpected, DateTimeOffset now)
    {
        AliasChange change;
        RegistryEvent moved;
        using (var connection = database.Connect())
        using (var transaction = connection.BeginWrite())
        {
            var target = ReadVersion(connection, name, version) ?? throw UnknownVersion(connection, name, version);
            if (target.Status == ModelVersionStatus.Archived)
            {
                throw new ArgumentException($"{target.Uri} is archived; an alias cannot point at it.", nameof(version));
            }

            var previous = AliasTargetOrNull(connection, name, alias);
            if (checkExpected && previous != expectedFrom)
            {
                // The gates compared against the version the alias pointed at then; another process moved it since.
                throw new InvalidOperationException($"@{alias} of '{name}' moved to version {previous?.ToString() ?? "none"} while the gates were checked; promote again.");
            }

            Execute(connection, "INSERT INTO model_aliases (name, alias, version) VALUES (@n, @a, @v) ON CONFLICT(name, alias) DO UPDATE SET version = @v",
                ("@n", name), ("@a", alias), ("@v", version));
            change = Record(connection, name, alias, previous, version, reason, gates, now);
            moved = RegistryEventLog.Append(connection, RegistryEventTypes.AliasSet, name, version, alias, previous, now, change.Who);
            transaction.Commit();
        }

        return (change, moved);
    }

    private static AliasChange Record(DbConnection connection, string name, string alias, int? from, int? to, string? reason, IReadOnlyList<GateResult> gates, DateTimeOffset now)
    {
        var change = new AliasChange(name, alias, from, to, now, RegistryActor.Current(), reason, gates);
        Execute(connection, "INSERT INTO alias_history (name, alias, from_version, to_version, time, who, reason, gates) VALUES (@n, @a, @f, @t, @time, @w, @r, @g)",
            ("@n", name), ("@a", alias), ("@f", from), ("@t", to), ("@time", TimeText(change.Time)), ("@w", change.Who), ("@r", reason), ("@g", JsonSerializer.Serialize(gates)));
        return change;
    }

    public static (AliasChange Change, RegistryEvent Event) Delete(WorkspaceDatabase database, string name, string alias, string? reason, DateTimeOffset now)
    {
        AliasChange change;
        RegistryEvent deleted;
        using (var connection = database.Connect())
        using (var transaction = connection.BeginWrite())
        {
            var previous = AliasTarget(connection, name, alias);
            Execute(connection, "DELETE FROM model_aliases WHERE name = @n AND alias = @a", ("@n", name), ("@a", alias));
            change = Record(connection, name, alias, previous, null, reason, [], now);
            deleted = RegistryEventLog.Append(connection, RegistryEventTypes.AliasDeleted, name, null, alias, previous, now, change.Who);
            transaction.Commit();
        }

        return (change, deleted);
    }
}
