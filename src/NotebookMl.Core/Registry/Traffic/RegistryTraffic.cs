using System.Data.Common;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Registry.Events;
using NotebookMl.Core.Storage;
using static NotebookMl.Core.Registry.RegistryQueries;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry.Traffic;

/// <summary>
/// The traffic routes table (<c>traffic_routes</c>, one row per model and kind): each write sets or clears a route and
/// appends its event (<c>canary.set</c>, <c>canary.cleared</c>, <c>shadow.set</c>, <c>shadow.cleared</c>) in one immediate transaction.
/// </summary>
internal static class RegistryTraffic
{
    public const string Canary = "canary";
    public const string Shadow = "shadow";

    public static TrafficRoutes Read(DbConnection connection, string name)
    {
        RequireModel(connection, name);
        using var command = Command(connection, "SELECT kind, alias, percent, time, who FROM traffic_routes WHERE name = @n", ("@n", name));
        using var reader = command.ExecuteReader();
        var (canary, shadow) = ((CanaryRoute?)null, (ShadowRoute?)null);
        while (reader.Read())
        {
            var (alias, time, who) = (reader.GetString(1), ParseTime(reader.GetString(3)), reader.GetString(4));
            if (reader.GetString(0) == Canary)
            {
                canary = new CanaryRoute(alias, reader.GetDouble(2), time, who);
            }
            else
            {
                shadow = new ShadowRoute(alias, time, who);
            }
        }

        return new TrafficRoutes(name, canary, shadow);
    }

    public static (TrafficRoutes Routes, RegistryEvent Event) Set(WorkspaceDatabase database, string name, string kind, string alias, double? percent, DateTimeOffset now)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginWrite();
        // The alias must point at a version now (it may move later: the route follows it).
        var version = AliasTarget(connection, name, alias);
        var who = RegistryActor.Current();
        Execute(connection, """
            INSERT INTO traffic_routes (name, kind, alias, percent, time, who) VALUES (@n, @k, @a, @p, @t, @w)
            ON CONFLICT(name, kind) DO UPDATE SET alias = @a, percent = @p, time = @t, who = @w
            """,
            ("@n", name), ("@k", kind), ("@a", alias), ("@p", percent), ("@t", TimeText(now)), ("@w", who));
        var change = RegistryEventLog.Append(connection, kind + ".set", name, version, alias, null, now, who);
        var routes = Read(connection, name);
        transaction.Commit();
        return (routes, change);
    }

    public static (TrafficRoutes Routes, RegistryEvent? Event) Clear(WorkspaceDatabase database, string name, string kind, DateTimeOffset now)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginWrite();
        var before = Read(connection, name);
        var alias = kind == Canary ? before.Canary?.Alias : before.Shadow?.Alias;
        if (alias is null)
        {
            return (before, null);
        }

        Execute(connection, "DELETE FROM traffic_routes WHERE name = @n AND kind = @k", ("@n", name), ("@k", kind));
        var change = RegistryEventLog.Append(connection, kind + ".cleared", name, null, alias, null, now, RegistryActor.Current());
        var routes = Read(connection, name);
        transaction.Commit();
        return (routes, change);
    }

}
