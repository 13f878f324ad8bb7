using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Parameters;

/// <summary>Turns command-line text and parameter-file values into typed values of a parameter's type.</summary>
public static class ParameterValues
{
    /// <summary>The value of <paramref name="text"/> (from <c>-p NAME VALUE</c>) as a <paramref name="type"/>.</summary>
    /// <exception cref="ParameterException">The text is not a value of that type.</exception>
    public static object Parse(string name, string text, ParameterType type)
    {
        var trimmed = text.Trim();
        if (type is ParameterType.IntArray or ParameterType.DoubleArray or ParameterType.StringArray)
        {
            var items = trimmed.StartsWith('[')
                ? ParseJson(name, trimmed, type)
                : trimmed.Length == 0 ? [] : trimmed.Split(',').Select(s => s.Trim()).ToArray();
            return ParseItems(name, items, type);
        }

        object? value = type switch
        {
            ParameterType.Int => int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            ParameterType.Long => long.TryParse(trimmed.TrimEnd('L', 'l'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
            ParameterType.Double => double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            ParameterType.Bool => trimmed.ToLowerInvariant() switch { "true" => true, "false" => false, _ => null },
            ParameterType.DateTime => DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null,
            ParameterType.String => text,
            _ => throw new ParameterException($"parameter '{name}' has a type that cannot be set from outside the notebook; declare it as int, long, double, bool, string, DateTime or an array of int, double or string."),
        };
        return value ?? throw new ParameterException($"parameter '{name}': '{text}' is not {Describe(type)}.");
    }

    /// <summary>The value of a parameter-file entry (JSON or YAML) as a <paramref name="type"/>.</summary>
    public static object FromNode(string name, JsonNode? node, ParameterType type) => node switch
    {
        null => throw new ParameterException($"parameter '{name}': null is not {Describe(type)}."),
        JsonArray array => Parse(name, array.ToJsonString(), type),
        JsonValue value when value.TryGetValue<string>(out var text) => Parse(name, text, type),
        _ => Parse(name, node.ToJsonString(), type),
    };

    /// <summary>The type a value given for an undeclared parameter gets (<c>--allow-extra</c>), as papermill infers it.</summary>
    public static ParameterType Infer(string text) => text.Trim() switch
    {
        var t when int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => ParameterType.Int,
        var t when long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => ParameterType.Long,
        var t when double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => ParameterType.Double,
        "true" or "false" or "True" or "False" => ParameterType.Bool,
        _ => ParameterType.String,
    };

    /// <summary>How a type is named in messages and by <c>describe</c>.</summary>
    public static string Describe(ParameterType type) => type switch
    {
        ParameterType.Int => "an int",
        ParameterType.Long => "a long",
        ParameterType.Double => "a number",
        ParameterType.Bool => "true or false",
        ParameterType.String => "a string",
        ParameterType.DateTime => "a date/time (ISO 8601, e.g. 2026-11-23 or 2026-11-23T06:00:00Z)",
        ParameterType.IntArray => "a list of ints (1,2,3 or [1,2,3])",
        ParameterType.DoubleArray => "a list of numbers (0.1,0.2 or [0.1,0.2])",
        ParameterType.StringArray => "a list of strings (a,b or [\"a\",\"b\"])",
        _ => "a value NotebookMl can set",
    };

    private static string[] ParseJson(string name, string json, ParameterType type)
    {
        try
        {
            var array = JsonNode.Parse(json) as JsonArray ?? throw new ParameterException($"parameter '{name}': '{json}' is not {Describe(type)}.");
            return array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "").ToArray();
        }
        catch (JsonException)
        {
            throw new ParameterException($"parameter '{name}': '{json}' is not {Describe(type)}.");
        }
    }

    private static Array ParseItems(string name, string[] items, ParameterType type) => type switch
    {
        ParameterType.IntArray => items.Select(i => (int)Parse(name, i, ParameterType.Int)).ToArray(),
        ParameterType.DoubleArray => items.Select(i => (double)Parse(name, i, ParameterType.Double)).ToArray(),
        _ => items,
    };
}
