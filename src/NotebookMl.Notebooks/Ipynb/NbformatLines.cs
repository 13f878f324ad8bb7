using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Notebooks.Json;

namespace NotebookMl.Notebooks.Ipynb;

/// <summary>
/// nbformat's <c>rejoin_lines</c> (on read) and <c>split_lines</c> (on write): in files, multi-line
/// text is a list of lines; in memory it is one string. Mirrors nbformat/v4/rwbase.py.
/// </summary>
internal static class NbformatLines
{
    private static readonly HashSet<string> SplitNonTextMimes = ["application/javascript", "image/svg+xml"];

    /// <summary>Joins the line lists of outputs and attachments into strings, in place.</summary>
    public static void Rejoin(CellKind kind, JsonArray outputs, JsonObject? attachments)
    {
        foreach (var (_, attachment) in attachments ?? [])
        {
            RejoinMimeBundle(attachment as JsonObject);
        }

        if (kind != CellKind.Code)
        {
            return;
        }

        foreach (var output in outputs.OfType<JsonObject>())
        {
            var outputType = JsonPath.String(output, "output_type") ?? "";
            if (outputType is "execute_result" or "display_data")
            {
                RejoinMimeBundle(output["data"] as JsonObject);
            }
            else if (outputType.Length > 0 && JoinedOrNull(output["text"]) is { } text)
            {
                output["text"] = text;
            }
        }
    }

    /// <summary>Splits multi-line strings of outputs and attachments into lists of lines, in place.</summary>
    public static void Split(CellKind kind, JsonArray? outputs, JsonObject? attachments)
    {
        foreach (var (_, attachment) in attachments ?? [])
        {
            SplitMimeBundle(attachment as JsonObject);
        }

        if (kind != CellKind.Code || outputs is null)
        {
            return;
        }

        foreach (var output in outputs.OfType<JsonObject>())
        {
            var outputType = JsonPath.String(output, "output_type");
            if (outputType is "execute_result" or "display_data")
            {
                SplitMimeBundle(output["data"] as JsonObject);
            }
            else if (outputType == "stream" && JsonPath.String(output, "text") is { } text)
            {
                output["text"] = Lines(text);
            }
        }
    }

    /// <summary>The text as nbformat writes a source: a list of lines keeping their line breaks.</summary>
    public static JsonArray Lines(string text) =>
        new([.. PythonText.SplitLinesKeepEnds(text).Select(line => (JsonNode?)JsonValue.Create(line))]);

    /// <summary>The strings of a list joined, or null if the node is not a list of strings only.</summary>
    public static string? JoinedOrNull(JsonNode? node)
    {
        if (node is not JsonArray lines
            || !lines.All(line => line is JsonValue value && value.GetValueKind() == JsonValueKind.String))
        {
            return null;
        }

        return string.Concat(lines.Select(line => line!.GetValue<string>()));
    }

    private static bool IsJsonMime(string mime) =>
        mime == "application/json" || (mime.StartsWith("application/", StringComparison.Ordinal) && mime.EndsWith("+json", StringComparison.Ordinal));

    private static void RejoinMimeBundle(JsonObject? bundle)
    {
        foreach (var key in bundle?.Select(p => p.Key).ToList() ?? [])
        {
            if (!IsJsonMime(key) && JoinedOrNull(bundle![key]) is { } text)
            {
                bundle[key] = text;
            }
        }
    }

    private static void SplitMimeBundle(JsonObject? bundle)
    {
        foreach (var key in bundle?.Select(p => p.Key).ToList() ?? [])
        {
            if ((key.StartsWith("text/", StringComparison.Ordinal) || SplitNonTextMimes.Contains(key))
                && JsonPath.String(bundle![key]) is { } text)
            {
                bundle[key] = Lines(text);
            }
        }
    }
}
