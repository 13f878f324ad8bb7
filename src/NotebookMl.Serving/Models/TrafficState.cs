namespace NotebookMl.Serving.Models;

/// <summary>A model's canary and shadow as the endpoint follows them: the registry's routes and the versions their aliases point at now.</summary>
/// <param name="Routes">The registry's routes, or null before they are read.</param>
/// <param name="CanaryVersion">The version the canary's alias points at, or null.</param>
/// <param name="ShadowVersion">The version the shadow's alias points at, or null.</param>
public sealed record TrafficState(Core.Registry.Traffic.TrafficRoutes? Routes, int? CanaryVersion, int? ShadowVersion)
{
    /// <summary>True once the canary's version failed to load: requests go to the default until the canary is set again.</summary>
    public bool CanaryBroken { get; init; }

    /// <summary>True once the shadow's version failed to load: nothing is mirrored until the shadow is set again.</summary>
    public bool ShadowBroken { get; init; }

    /// <summary>No canary, no shadow.</summary>
    public static TrafficState None { get; } = new(null, null, null);
}
