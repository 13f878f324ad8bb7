using System.Text.Json.Nodes;
using NotebookMl.Kernel.Events;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Jupyter;

/// <summary>Formatted values as a Jupyter MIME bundle (<c>data</c>); JSON MIME types are sent as JSON, not strings.</summary>
internal static class MimeBundle
{
    public static JsonObject From(IReadOnlyList<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var value in values)
        {
            data[value.MimeType] = IsJson(value.MimeType) && TryParse(value.Value) is { } json ? json : value.Value;
        }

        return data;
    }

    private static bool IsJson(string mimeType) => mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
