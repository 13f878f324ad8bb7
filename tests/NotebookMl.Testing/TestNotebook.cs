using System.Text.Json.Nodes;

namespace NotebookMl.Testing;

/// <summary>Notebooks (nbformat 4.5) written by tests: code cells with tags, and a kernelspec.</summary>
public static class TestNotebook
{
    /// <summary>The kernelspec of the NotebookMl kernel.</summary>
    public const string CSharpKernelspec = """{"display_name": "C# (NotebookMl)", "language": "C#", "name": "notebookml-csharp"}""";

    /// <summary>The notebook's JSON: one code cell per (source, tags).</summary>
    public static string Json(IEnumerable<(string Source, string[] Tags)> cells, string kernelspec = CSharpKernelspec)
    {
        var array = new JsonArray();
        var id = 0;
        foreach (var (source, tags) in cells)
        {
            array.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["id"] = $"cell-{++id}",
                ["metadata"] = new JsonObject { ["tags"] = new JsonArray(tags.Select(t => (JsonNode)t).ToArray()) },
                ["outputs"] = new JsonArray(),
                ["source"] = source,
            });
        }

        return new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject { ["kernelspec"] = JsonNode.Parse(kernelspec) },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString();
    }

    /// <summary>Writes a C# notebook of untagged cells to <paramref name="path"/>; returns the path.</summary>
    public static string Write(string path, params string[] cells)
    {
        File.WriteAllText(path, Json(cells.Select(c => (c, Array.Empty<string>()))));
        return path;
    }
}
