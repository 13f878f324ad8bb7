using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>Reads fields of kernel messages leniently: a field of the wrong type reads as missing, never throws.</summary>
internal static class JsonFields
{
    public static string? String(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool? Bool(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static int? Int(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;
}
