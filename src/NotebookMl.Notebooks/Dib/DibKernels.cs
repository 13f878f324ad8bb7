using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks.Dib;

/// <summary>
/// Which <c>#!name</c> lines start a new .dib section. As in Polyglot Notebooks, only kernel names
/// and their aliases do (the kernels of the #!meta section, then .NET Interactive's own); any other
/// <c>#!</c> line — <c>#!time</c>, <c>#!set …</c> — is a magic command and belongs to the cell.
/// </summary>
internal static class DibKernels
{
    public const string Markdown = "markdown";
    public const string Meta = "meta";
    public const string DefaultKernel = "csharp";

    private static readonly (string Name, string[] Aliases)[] BuiltIn =
    [
        ("csharp", ["c#", "C#"]),
        ("fsharp", ["f#", "F#"]),
        ("pwsh", ["powershell"]),
        ("javascript", ["js"]),
        ("html", []),
        ("sql", []),
        ("kql", []),
        ("mermaid", []),
        ("http", []),
        ("value", []),
        (Markdown, ["md"]),
    ];

    /// <summary>Maps every name and alias that marks a section to its kernel name.</summary>
    public static Dictionary<string, string> Aliases(JsonObject? meta)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Items(meta)?.OfType<JsonObject>() ?? [])
        {
            if (JsonPath.String(item, "name") is { Length: > 0 } name)
            {
                map[name] = name;
                var aliases = item["aliases"] as JsonArray ?? [];
                foreach (var alias in aliases.Select(a => JsonPath.String(a)).OfType<string>())
                {
                    map[alias] = name;
                }
            }
        }

        foreach (var (name, aliases) in BuiltIn)
        {
            map.TryAdd(name, name);
            foreach (var alias in aliases)
            {
                map.TryAdd(alias, name);
            }
        }

        return map;
    }

    /// <summary>The default kernel of a .dib file: <c>kernelInfo.defaultKernelName</c>, else csharp.</summary>
    public static string Default(JsonObject? meta) =>
        JsonPath.String(meta, "kernelInfo", "defaultKernelName") is { Length: > 0 } name ? name : DefaultKernel;

    /// <summary>Declares <paramref name="kernelName"/> in <c>kernelInfo.items</c>, as Polyglot does for kernels a notebook uses.</summary>
    public static JsonObject Declare(JsonObject? meta, string kernelName)
    {
        meta ??= [];
        var kernelInfo = JsonPath.Object(meta, "kernelInfo");
        kernelInfo["defaultKernelName"] ??= DefaultKernel;
        if (kernelInfo["items"] is not JsonArray items)
        {
            items = [];
            kernelInfo["items"] = items;
        }

        items.Add(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = kernelName });
        return meta;
    }

    private static JsonArray? Items(JsonObject? meta) =>
        meta?["kernelInfo"] is JsonObject kernelInfo ? kernelInfo["items"] as JsonArray : null;
}
