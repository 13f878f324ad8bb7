using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks;

/// <summary>Small lookups into metadata objects.</summary>
internal static class JsonPath
{
    /// <summary>The string at <paramref name="path"/> below <paramref name="node"/>, or null.</summary>
    public static string? String(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node is JsonObject obj ? obj[name] : null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }

    /// <summary>The object property <paramref name="name"/> of <paramref name="parent"/>, created (or replacing a non-object) if needed.</summary>
    public static JsonObject Object(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}
