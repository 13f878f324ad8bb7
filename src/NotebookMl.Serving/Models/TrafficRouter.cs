using System.Globalization;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Predictions;
using NotebookMl.Serving.Protocol;
using NotebookMl.Core.Registry.Events;
using NotebookMl.Core.Registry.Traffic;

namespace NotebookMl.Serving.Models;

/// <summary>
/// Which version answers (Triton's scheduler side): the canary's share of requests, the shadow every request is mirrored
/// to, and the previous version a fallback may answer with. It follows the registry's canary and shadow, loads their
/// versions off the request path, and stops routing to a version that cannot load until its route is set again.
/// </summary>
internal sealed class TrafficRouter(ModelRegistry registry, VersionLifecycle lifecycle, Action<string> log)
{
    /// <summary>A lease on the canary's version for the canary's share of requests; null for the others, or when there is no canary.</summary>
    public Lease? Canary(ServedModel model)
    {
        var traffic = model.Traffic;
        if (traffic is not { CanaryVersion: { } number, Routes.Canary: { } route, CanaryBroken: false } || number == model.Default?.Version.Version || Random.Shared.NextDouble() * 100 >= route.Percent)
        {
            return null;
        }

        try
        {
            var canary = lifecycle.ByNumber(model, number);
            return canary.TryAcquire() ? new Lease(canary, PredictionRoutes.Canary) : null;
        }
        catch (InferenceException e)
        {
            // The canary cannot serve: the default answers, and the canary is not tried again until it is set again.
            MarkBroken(model, traffic, canary: true, e.Message);
            return null;
        }
    }

    /// <summary>The version requests are mirrored to, or null when there is no shadow (or the shadow is the default).</summary>
    public static int? ShadowVersion(ServedModel model) =>
        model is { Traffic: { ShadowVersion: { } shadow, ShadowBroken: false } } && shadow != model.Default?.Version.Version ? shadow : null;

    /// <summary>A lease on version <paramref name="number"/> as the shadow runs it.</summary>
    public Lease AcquireShadow(ServedModel model, int number)
    {
        while (true)
        {
            if (Shadow(model, number) is var shadow && shadow.TryAcquire())
            {
                return new Lease(shadow, PredictionRoutes.Shadow);
            }

            // Retired meanwhile (the shadow moved, or the model was unloaded): forget it and load it again.
            model.Shadows.TryRemove(number, out _);
        }
    }

    /// <summary>A lease on the version that served before the default (kept for a previous-version fallback), or null.</summary>
    public static Lease? AcquirePrevious(ServedModel model) => model.Previous is { } previous && previous.TryAcquire() ? new Lease(previous) : null;

    /// <summary>True when <paramref name="change"/> moves what the model's canary or shadow points at.</summary>
    public static bool Concerns(ServedModel? model, RegistryEvent change) =>
        change.Type is RegistryEventTypes.CanarySet or RegistryEventTypes.CanaryCleared or RegistryEventTypes.ShadowSet or RegistryEventTypes.ShadowCleared
        || (change.Type is RegistryEventTypes.AliasSet or RegistryEventTypes.AliasDeleted && model is { Traffic.Routes: { } routes } && (routes.Canary?.Alias == change.Alias || routes.Shadow?.Alias == change.Alias));

    /// <summary>Reads the model's canary and shadow from the registry, and loads their versions off the request path.</summary>
    public void Follow(ServedModel model)
    {
        TrafficRoutes routes;
        try
        {
            routes = registry.Traffic(model.Name);
        }
        catch (ArgumentException)
        {
            return;
        }

        int? Target(string? alias) => alias is null ? null : registry.AliasVersion(model.Name, alias)?.Version;
        var state = new TrafficState(routes, Target(routes.Canary?.Alias), Target(routes.Shadow?.Alias));
        var before = model.Traffic;
        model.Traffic = state;
        if (before.Routes == state.Routes && before.CanaryVersion == state.CanaryVersion && before.ShadowVersion == state.ShadowVersion)
        {
            return;
        }

        log($"{model.Name}: canary {(routes.Canary is { } c ? $"{c.Percent:0.##} % to @{c.Alias} (version {state.CanaryVersion?.ToString(CultureInfo.InvariantCulture) ?? "none"})" : "off")}, " +
            $"shadow {(routes.Shadow is { } s ? $"@{s.Alias} (version {state.ShadowVersion?.ToString(CultureInfo.InvariantCulture) ?? "none"})" : "off")}");
        foreach (var (number, shadow) in new[] { (state.CanaryVersion, false), (state.ShadowVersion, true) }.Where(v => v.Item1 is not null).Select(v => (v.Item1!.Value, v.Item2)))
        {
            _ = Task.Run(() =>
            {
                try
                {
                    _ = shadow ? Shadow(model, number) : lifecycle.ByNumber(model, number);
                }
                catch (InferenceException e)
                {
                    MarkBroken(model, state, canary: !shadow, e.Message);
                }
            });
        }

        // A shadow version no longer shadowing is let go.
        VersionLifecycle.RetireShadows(model, state.ShadowVersion);
    }

    private ServedVersion Shadow(ServedModel model, int number)
    {
        try
        {
            return lifecycle.Shadow(model, number);
        }
        catch (InferenceException e)
        {
            if (model.Traffic is { ShadowVersion: var shadow } traffic && shadow == number)
            {
                MarkBroken(model, traffic, canary: false, e.Message);
            }

            throw;
        }
    }

    // Once per traffic state: a version that failed to load is not loaded again on every request or batch.
    private void MarkBroken(ServedModel model, TrafficState traffic, bool canary, string reason)
    {
        var broken = canary ? traffic with { CanaryBroken = true } : traffic with { ShadowBroken = true };
        if (Interlocked.CompareExchange(ref model.TrafficField, broken, traffic) == traffic)
        {
            log($"{model.Name}: {(canary ? $"canary version {traffic.CanaryVersion} cannot serve; the default answers" : $"shadow version {traffic.ShadowVersion} cannot run; nothing is mirrored")} until it is set again ({reason})");
        }
    }
}
