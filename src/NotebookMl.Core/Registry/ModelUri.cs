using System.Globalization;
using System.Text.RegularExpressions;

namespace NotebookMl.Core.Registry;

/// <summary>
/// A model named as MLflow users write it: <c>models:/NAME/3</c> (a version), <c>models:/NAME@champion</c>
/// (whatever the alias points at), or <c>runs:/RUN_ID/model</c> (the model a run logged).
/// </summary>
public sealed partial record ModelUri
{
    private ModelUri(string? name, int? version, string? alias, string? runId, string? artifactPath) =>
        (Name, Version, Alias, RunId, ArtifactPath) = (name, version, alias, runId, artifactPath);

    /// <summary>The registered model's name (null for a <c>runs:/</c> URI).</summary>
    public string? Name { get; }

    /// <summary>The version number, for <c>models:/NAME/N</c>.</summary>
    public int? Version { get; }

    /// <summary>The alias, for <c>models:/NAME@ALIAS</c>.</summary>
    public string? Alias { get; }

    /// <summary>The run, for <c>runs:/RUN_ID/PATH</c>.</summary>
    public string? RunId { get; }

    /// <summary>The artifact path inside the run, for <c>runs:/RUN_ID/PATH</c> (<c>model</c> names the run's model).</summary>
    public string? ArtifactPath { get; }

    /// <summary>Parses <paramref name="text"/>; a malformed URI is an <see cref="ArgumentException"/>, one line saying what was expected.</summary>
    public static ModelUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ModelsVersion().Match(text) is { Success: true } version)
        {
            return new(version.Groups["name"].Value, int.Parse(version.Groups["version"].Value, CultureInfo.InvariantCulture), null, null, null);
        }

        if (ModelsAlias().Match(text) is { Success: true } alias)
        {
            return new(alias.Groups["name"].Value, null, alias.Groups["alias"].Value, null, null);
        }

        if (Runs().Match(text) is { Success: true } run)
        {
            return new(null, null, null, run.Groups["run"].Value, run.Groups["path"].Value);
        }

        throw new ArgumentException($"'{text}' is not a model URI; expected models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN_ID/model.");
    }

    /// <inheritdoc/>
    public override string ToString() =>
        RunId is not null ? $"runs:/{RunId}/{ArtifactPath}" : Alias is not null ? $"models:/{Name}@{Alias}" : $"models:/{Name}/{Version}";

    [GeneratedRegex(@"^models:/(?<name>[A-Za-z0-9][A-Za-z0-9_.-]*)/(?<version>[1-9][0-9]{0,8})$")]
    private static partial Regex ModelsVersion();

    [GeneratedRegex(@"^models:/(?<name>[A-Za-z0-9][A-Za-z0-9_.-]*)@(?<alias>[a-z][a-z0-9_-]*)$")]
    private static partial Regex ModelsAlias();

    [GeneratedRegex(@"^runs:/(?<run>[0-9a-f]{32})/(?<path>[A-Za-z0-9_./-]+)$")]
    private static partial Regex Runs();
}
