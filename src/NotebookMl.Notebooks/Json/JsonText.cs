using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks.Json;

/// <summary>Parses JSON text, turning syntax errors into one-line messages with a line and a column.</summary>
internal static class JsonText
{
    // Python's json reads duplicate keys (last wins); we refuse them so no value is silently lost.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 1000, AllowDuplicateProperties = false };

    /// <param name="json">The text.</param>
    /// <param name="sourceName">The file, for messages.</param>
    /// <param name="what">How the message starts, e.g. "invalid JSON".</param>
    /// <param name="lineOffset">Lines of the file before <paramref name="json"/>, so reported lines are the file's.</param>
    public static JsonNode? Parse(string json, string sourceName, string what, int lineOffset)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: Options);
        }
        catch (JsonException e) when (e.LineNumber is { } line && e.BytePositionInLine is { } bytes)
        {
            var column = CharColumn(json, (int)line, (int)bytes) + 1;
            throw new NotebookFormatException(sourceName, $"{what} at line {line + 1 + lineOffset}, position {column}: {Reason(e)}", e);
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(sourceName, $"{what}: {Reason(e)}", e);
        }
    }

    /// <summary>A short description of a node's JSON type, for messages.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        _ => $"the value {node.ToJsonString()}",
    };

    private static string Reason(JsonException e)
    {
        var message = e.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message.TrimEnd('.', ' ');
    }

    private static int CharColumn(string json, int line, int bytePosition)
    {
        var lines = json.Split('\n');
        if (line >= lines.Length)
        {
            return bytePosition;
        }

        var bytes = Encoding.UTF8.GetBytes(lines[line]);
        return Encoding.UTF8.GetCharCount(bytes, 0, Math.Min(bytePosition, bytes.Length));
    }
}
