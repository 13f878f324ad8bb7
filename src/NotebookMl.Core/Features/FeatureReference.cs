namespace NotebookMl.Core.Features;
using NotebookMl.Core.Options;

/// <summary>A requested feature, <c>VIEW:FEATURE</c>.</summary>
public sealed record FeatureReference(string View, string Feature)
{
    /// <summary>Parses <c>VIEW:FEATURE,VIEW:FEATURE…</c>; a malformed item is a clear error.</summary>
    public static IReadOnlyList<FeatureReference> ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();

    /// <summary>Parses <c>VIEW:FEATURE</c>.</summary>
    public static FeatureReference Parse(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
            ? new FeatureReference(parts[0].Trim(), parts[1].Trim())
            : throw new InvalidOptionException("features", $"'{text}' is not VIEW:FEATURE (e.g. origin_delays:mean_delay_7d).");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{View}:{Feature}";
}
