namespace NotebookMl.Core.Registry;

/// <summary>
/// The one way a model named by a user becomes a version, everywhere (CLI verbs, magics, pipeline triggers, loading):
/// <c>NAME/N</c> and <c>models:/NAME/N</c> are that version; <c>NAME@ALIAS</c> and <c>models:/NAME@ALIAS</c> what the alias
/// points at now; a bare <c>NAME</c> is the version of the serving alias (<see cref="ServingAlias"/>, as <c>notebookml serve</c>
/// serves it), and where that alias is not set, an error that lists the versions to choose from.
/// </summary>
public static class ModelReference
{
    /// <summary>The alias whose version a model serves by default, and what a bare name means.</summary>
    public const string ServingAlias = "champion";

    /// <summary>The version <paramref name="text"/> names; a bare name means its <paramref name="alias"/>.</summary>
    public static ModelVersion Resolve(this ModelRegistry registry, string text, string alias = ServingAlias)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.StartsWith("models:/", StringComparison.Ordinal) || text.StartsWith("runs:/", StringComparison.Ordinal))
        {
            return registry.Resolve(ModelUri.Parse(text));
        }

        if (text.Contains('@', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal))
        {
            return registry.Resolve(ParseShort(text));
        }

        return registry.AliasVersion(text, alias) ?? throw NoAlias(registry, text, alias);
    }

    /// <summary>Whether <paramref name="text"/> names one version (<c>NAME/N</c>, <c>NAME@ALIAS</c> or a URI) rather than a bare model name.</summary>
    public static bool NamesVersion(string text) =>
        text.StartsWith("models:/", StringComparison.Ordinal) || text.Contains('@', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal);

    private static ModelUri ParseShort(string text)
    {
        try
        {
            return ModelUri.Parse("models:/" + text);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"'{text}' is not a model; expected NAME, NAME/VERSION, NAME@ALIAS or models:/NAME/VERSION.");
        }
    }

    private static ArgumentException NoAlias(ModelRegistry registry, string name, string alias)
    {
        var versions = registry.ListVersions(name);
        if (versions.Count == 0)
        {
            return new ArgumentException($"model '{name}' has no versions yet.");
        }

        var shown = versions.Take(10).Select(v => $"{name}/{v.Version}{(v.Aliases.Count > 0 ? $" (@{string.Join(", @", v.Aliases)})" : "")}");
        return new ArgumentException($"model '{name}' has no version @{alias}; name one: {string.Join(", ", shown)}{(versions.Count > 10 ? ", …" : "")}.");
    }
}
