using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// Renders a pipeline's parameter values for one run. Strings may hold placeholders:
/// <c>{{scheduled_time}}</c> (ISO 8601 in the pipeline's time zone), <c>{{scheduled_time:yyyy-MM-dd}}</c>
/// (any .NET date format), an offset such as <c>{{scheduled_time-1d:yyyy-MM-dd}}</c> (units s, m, h, d),
/// <c>{{pipeline}}</c> and <c>{{trigger}}</c>. Other values pass through unchanged.
/// </summary>
public static partial class ParameterTemplate
{
    /// <summary>The placeholder names a template may use.</summary>
    public static readonly IReadOnlyList<string> Names = ["scheduled_time", "pipeline", "trigger"];

    /// <summary>Renders every value of <paramref name="parameters"/> for a run of <paramref name="pipeline"/> scheduled at <paramref name="scheduledTime"/>.</summary>
    public static JsonObject Render(IReadOnlyDictionary<string, JsonNode?> parameters, string pipeline, DateTimeOffset scheduledTime, TimeZoneInfo timeZone, RunTrigger trigger)
    {
        var local = TimeZoneInfo.ConvertTime(scheduledTime, timeZone);
        var result = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            result[name] = RenderNode(value, pipeline, local, trigger);
        }

        return result;
    }

    /// <summary>Checks that <paramref name="text"/>'s placeholders are known and well formed; returns the problem, or null.</summary>
    public static string? Check(string text)
    {
        try
        {
            RenderText(text, "pipeline", DateTimeOffset.UnixEpoch, RunTrigger.Schedule);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    private static JsonNode? RenderNode(JsonNode? node, string pipeline, DateTimeOffset local, RunTrigger trigger) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(RenderText(text, pipeline, local, trigger)),
        JsonArray array => new JsonArray(array.Select(n => RenderNode(n, pipeline, local, trigger)).ToArray()),
        _ => node?.DeepClone(),
    };

    private static string RenderText(string text, string pipeline, DateTimeOffset local, RunTrigger trigger) =>
        Placeholder().Replace(text, match =>
        {
            var name = match.Groups["name"].Value;
            var format = match.Groups["format"].Success ? match.Groups["format"].Value.TrimEnd() : null;
            return name switch
            {
                "scheduled_time" => Shift(local, match).ToString(format ?? "yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
                "pipeline" when !match.Groups["offset"].Success && format is null => pipeline,
                "trigger" when !match.Groups["offset"].Success && format is null => trigger.ToName(),
                _ => throw new FormatException($"unknown placeholder '{match.Value}'; known: {string.Join(", ", Names.Select(n => "{{" + n + "}}"))}, e.g. {{{{scheduled_time-1d:yyyy-MM-dd}}}}"),
            };
        });

    private static DateTimeOffset Shift(DateTimeOffset time, Match match)
    {
        if (!match.Groups["offset"].Success)
        {
            return time;
        }

        var amount = int.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture) * (match.Groups["sign"].Value == "-" ? -1 : 1);
        return match.Groups["unit"].Value switch
        {
            "s" => time.AddSeconds(amount),
            "m" => time.AddMinutes(amount),
            "h" => time.AddHours(amount),
            _ => time.AddDays(amount),
        };
    }

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<offset>\s*(?<sign>[+-])\s*(?<amount>\d+)(?<unit>[smhd]))?(?::(?<format>[^}]+))?\s*\}\}")]
    private static partial Regex Placeholder();
}
