using System.Globalization;
using System.Text.RegularExpressions;

namespace NotebookMl.Core.Time;

/// <summary>Durations as written in <c>pipelines.yaml</c>: <c>90</c> (seconds), <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>1h30m</c>, <c>2d</c>.</summary>
public static partial class Durations
{
    /// <summary>What a duration looks like, for messages.</summary>
    public const string Examples = "90s, 10m, 1h30m or 7d";

    /// <summary>
    /// Parses <paramref name="text"/>, given as <paramref name="name"/> (an option, a parameter or a configuration key), or throws
    /// <see cref="ArgumentException"/> with the one message every reader gives (see <see cref="Invalid"/>). With
    /// <paramref name="positive"/>, zero is refused too.
    /// </summary>
    public static TimeSpan Parse(string text, string name, bool positive = false) =>
        TryParse(text) is { } parsed && (!positive || parsed > TimeSpan.Zero) ? parsed : throw new ArgumentException(Invalid(name, text, positive) + ".");

    /// <summary>The message (without a final period) for <paramref name="text"/> given as <paramref name="name"/> that is not a duration.</summary>
    public static string Invalid(string name, string text, bool positive = false) =>
        $"{name}: '{text}' is not {(positive ? "a positive duration" : "a duration")}; expected e.g. {Examples}";

    /// <summary>Parses <paramref name="text"/>; null when it is not a duration.</summary>
    public static TimeSpan? TryParse(string text)
    {
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        var matches = Part().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromDays(value),
            };
        }

        return total;
    }

    /// <summary>A short rendering: <c>1h30m</c>, <c>45s</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{span.TotalMilliseconds:0}ms";
        }

        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add($"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            parts.Add($"{span.Hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(span.Milliseconds > 0 && parts.Count == 0 ? $"{span.TotalSeconds:0.#}s" : $"{span.Seconds}s");
        }

        return string.Concat(parts);
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex Part();
}
