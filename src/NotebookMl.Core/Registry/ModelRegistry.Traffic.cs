using NotebookMl.Core.Options;
using NotebookMl.Core.Registry.Events;
using NotebookMl.Core.Registry.Traffic;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Registry;

/// <summary>Canary and shadow routes: stored per model, followed by running endpoints through the event log.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>The canary and shadow of <paramref name="name"/> (either may be null).</summary>
    public TrafficRoutes Traffic(string name)
    {
        using var connection = _database.Connect();
        return RegistryTraffic.Read(connection, name);
    }

    /// <summary>
    /// Sends <paramref name="percent"/> of <paramref name="name"/>'s requests that name no version to the version
    /// <paramref name="alias"/> points at (which must exist now; the canary follows the alias when it moves).
    /// </summary>
    public TrafficRoutes SetCanary(string name, string alias, double percent)
    {
        CheckAlias(alias);
        if (!(percent > 0 && percent <= 100))
        {
            throw new InvalidOptionException(nameof(percent), $"{percent.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a share of traffic; expected more than 0 and at most 100.");
        }

        return Deliver(RegistryTraffic.Set(_database, name, RegistryTraffic.Canary, alias, percent, _timeProvider.GetUtcNow()));
    }

    /// <summary>Mirrors <paramref name="name"/>'s requests that name no version to the version <paramref name="alias"/> points at, which never answers the caller.</summary>
    public TrafficRoutes SetShadow(string name, string alias)
    {
        CheckAlias(alias);
        return Deliver(RegistryTraffic.Set(_database, name, RegistryTraffic.Shadow, alias, null, _timeProvider.GetUtcNow()));
    }

    /// <summary>Switches the canary of <paramref name="name"/> off (nothing happens when none is set).</summary>
    public TrafficRoutes ClearCanary(string name) => Deliver(RegistryTraffic.Clear(_database, name, RegistryTraffic.Canary, _timeProvider.GetUtcNow()));

    /// <summary>Switches the shadow of <paramref name="name"/> off (nothing happens when none is set).</summary>
    public TrafficRoutes ClearShadow(string name) => Deliver(RegistryTraffic.Clear(_database, name, RegistryTraffic.Shadow, _timeProvider.GetUtcNow()));

    private TrafficRoutes Deliver((TrafficRoutes Routes, RegistryEvent? Event) change)
    {
        if (change.Event is { } e)
        {
            Webhooks.Deliver(e);
        }

        return change.Routes;
    }
}
