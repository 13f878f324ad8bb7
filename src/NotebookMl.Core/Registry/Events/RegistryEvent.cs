using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Events;

/// <summary>
/// Something that happened in the registry, as its append-only event log keeps it: a version registered,
/// an alias set or deleted, a version archived, a canary or shadow set or cleared. Every process sees the same log, in order of <see cref="Id"/>.
/// </summary>
/// <param name="Id">The event's position in the log (1, 2, …).</param>
/// <param name="Type">One of <see cref="RegistryEventTypes"/>.</param>
/// <param name="Name">The registered model.</param>
/// <param name="Version">The version registered, archived, or that the alias now points at (null when an alias was deleted).</param>
/// <param name="Alias">The alias, for alias events.</param>
/// <param name="FromVersion">For alias events: the version the alias pointed at before, or null.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Who">Who did it: user@host, or the pipeline and its scheduled time.</param>
public sealed record RegistryEvent(long Id, string Type, string Name, int? Version, string? Alias, int? FromVersion, DateTimeOffset Time, string Who);

/// <summary>The event types, as webhooks and the log name them.</summary>
public static class RegistryEventTypes
{
    /// <summary>A new version was registered.</summary>
    public const string VersionCreated = "model_version.created";

    /// <summary>An alias was set or moved.</summary>
    public const string AliasSet = "alias.set";

    /// <summary>An alias was deleted.</summary>
    public const string AliasDeleted = "alias.deleted";

    /// <summary>A version was archived.</summary>
    public const string VersionArchived = "model_version.archived";

    /// <summary>A canary was set or changed (its alias, the version it points at now).</summary>
    public const string CanarySet = "canary.set";

    /// <summary>A canary was switched off.</summary>
    public const string CanaryCleared = "canary.cleared";

    /// <summary>A shadow was set or changed (its alias, the version it points at now).</summary>
    public const string ShadowSet = "shadow.set";

    /// <summary>A shadow was switched off.</summary>
    public const string ShadowCleared = "shadow.cleared";

    /// <summary>Every type.</summary>
    public static IReadOnlyList<string> All { get; } = [VersionCreated, AliasSet, AliasDeleted, VersionArchived, CanarySet, CanaryCleared, ShadowSet, ShadowCleared];
}
