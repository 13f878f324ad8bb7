using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Traffic;

/// <summary>
/// How an endpoint splits a model's traffic besides its serving alias: a canary (a share of requests answered by another
/// alias's version) and a shadow (every request mirrored to another alias's version, its answer recorded and never
/// returned). Stored in the registry, so every endpoint serving the model follows a change without a restart.
/// </summary>
/// <param name="Name">The registered model.</param>
/// <param name="Canary">The canary, or null.</param>
/// <param name="Shadow">The shadow, or null.</param>
public sealed record TrafficRoutes(string Name, CanaryRoute? Canary, ShadowRoute? Shadow)
{
    /// <summary>True when neither a canary nor a shadow is set.</summary>
    public bool IsEmpty => Canary is null && Shadow is null;
}

/// <summary>A canary: <paramref name="Percent"/> of the requests that name no version go to the version <paramref name="Alias"/> points at.</summary>
/// <param name="Alias">The alias whose version answers the canary's share (it follows the alias when it moves).</param>
/// <param name="Percent">The share of requests, more than 0 and at most 100.</param>
/// <param name="Time">When it was set.</param>
/// <param name="Who">Who set it.</param>
public sealed record CanaryRoute(string Alias, double Percent, DateTimeOffset Time, string Who);

/// <summary>A shadow: requests that name no version are mirrored to the version <paramref name="Alias"/> points at, off the request path.</summary>
/// <param name="Alias">The alias whose version shadows (it follows the alias when it moves).</param>
/// <param name="Time">When it was set.</param>
/// <param name="Who">Who set it.</param>
public sealed record ShadowRoute(string Alias, DateTimeOffset Time, string Who);
