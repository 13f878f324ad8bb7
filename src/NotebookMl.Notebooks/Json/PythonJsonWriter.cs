using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks.Json;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps(obj, indent=1, sort_keys=True, separators=(",", ": "),
/// ensure_ascii=False)</c> does — the call <c>nbformat.write</c> makes — so our files match its bytes.
/// </summary>
internal static class PythonJsonWriter
{
    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node, 0);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                WriteObject(builder, obj, depth);
                break;
            case JsonArray array:
                WriteArray(builder, array, depth);
                break;
            case JsonValue value:
                WriteValue(builder, value);
                break;
        }
    }

    private static void WriteObject(StringBuilder builder, JsonObject obj, int depth)
    {
        if (obj.Count == 0)
        {
            builder.Append("{}");
            return;
        }

        builder.Append('{');
        var first = true;
        foreach (var (key, value) in obj.OrderBy(p => p.Key, CodePointComparer.Instance))
        {
            builder.Append(first ? "\n" : ",\n").Append(' ', depth + 1);
            first = false;
            WriteString(builder, key);
            builder.Append(": ");
            Write(builder, value, depth + 1);
        }

        builder.Append('\n').Append(' ', depth).Append('}');
    }

    private static void WriteArray(StringBuilder builder, JsonArray array, int depth)
    {
        if (array.Count == 0)
        {
            builder.Append("[]");
            return;
        }

        builder.Append('[');
        for (var i = 0; i < array.Count; i++)
        {
            builder.Append(i == 0 ? "\n" : ",\n").Append(' ', depth + 1);
            Write(builder, array[i], depth + 1);
        }

        builder.Append('\n').Append(' ', depth).Append(']');
    }

    private static void WriteValue(StringBuilder builder, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(builder, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Number:
                builder.Append(NumberText(value));
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    /// <summary>
    /// Python reads a JSON number without '.', 'e' or 'E' as an int (printed back as written) and
    /// any other as a float (printed back as its shortest repr), so "1.50" becomes "1.5".
    /// </summary>
    private static string NumberText(JsonValue value)
    {
        string raw;
        if (value.TryGetValue<JsonElement>(out var element))
        {
            raw = element.GetRawText();
        }
        else if (value.TryGetValue<double>(out var number))
        {
            return PythonFloat.Repr(number);
        }
        else if (value.TryGetValue<float>(out var single))
        {
            return PythonFloat.Repr(single);
        }
        else
        {
            raw = value.ToJsonString();
        }

        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            return PythonFloat.Repr(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return raw == "-0" ? "0" : raw;
    }

    /// <summary>Python's <c>py_encode_basestring</c>: escapes quotes, backslashes and C0 controls only.</summary>
    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
