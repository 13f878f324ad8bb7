using System.Globalization;
using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks.Dib;

/// <summary>Writes the Polyglot Notebooks .dib format (see <see cref="DibSerializer"/>).</summary>
internal static class DibWriter
{
    /// <summary>Serializes <paramref name="doc"/>; problems are reported against <paramref name="targetName"/>.</summary>
    public static string Serialize(NotebookDocument doc, string targetName)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var meta = (doc.Metadata["polyglot_notebook"] as JsonObject)?.DeepClone() as JsonObject;
        meta?.Remove("cellTags");
        var aliases = DibKernels.Aliases(meta);
        var defaultKernel = DibKernels.Default(meta);

        var sections = new List<(string Kernel, string[] Lines)>();
        var cellTags = new JsonObject();
        for (var i = 0; i < doc.Cells.Count; i++)
        {
            var cell = doc.Cells[i];
            var kernel = KernelOf(cell, i, defaultKernel, targetName);
            if (!aliases.ContainsKey(kernel))
            {
                meta = DibKernels.Declare(meta, kernel);
                aliases[kernel] = kernel;
            }

            sections.Add((kernel, cell.Source.Length == 0 ? [] : cell.Source.Replace("\r\n", "\n").Split('\n')));
            if (cell.Tags.Count > 0)
            {
                cellTags[i.ToString(CultureInfo.InvariantCulture)] = new JsonArray([.. cell.Tags.Select(t => (JsonNode?)t)]);
            }
        }

        if (cellTags.Count > 0)
        {
            meta ??= [];
            meta["cellTags"] = cellTags;
        }

        var lines = new List<string>();
        if (meta is not null)
        {
            lines.AddRange(["#!" + DibKernels.Meta, "", meta.ToJsonString(), ""]);
        }

        for (var i = 0; i < sections.Count; i++)
        {
            var (kernel, body) = sections[i];
            if (body.FirstOrDefault(line => line.StartsWith("#!", StringComparison.Ordinal) && aliases.ContainsKey(line[2..])) is { } marker)
            {
                throw new NotebookFormatException(targetName, $"cell {i + 1} has the line '{marker}', which a .dib reader takes for the start of a new cell");
            }

            lines.AddRange(["#!" + kernel, ""]);
            lines.AddRange(body);
            lines.Add("");
        }

        return string.Join('\n', lines);
    }

    private static string KernelOf(NotebookCell cell, int index, string defaultKernel, string targetName)
    {
        var kernel = cell.Kind switch
        {
            CellKind.Markdown => DibKernels.Markdown,
            CellKind.Code => cell.Language ?? defaultKernel,
            _ => throw new NotebookFormatException(targetName, $"cell {index + 1} is a raw cell; a .dib file holds only code and markdown cells"),
        };
        if (kernel.Length == 0 || kernel.Any(char.IsWhiteSpace))
        {
            throw new NotebookFormatException(targetName, $"cell {index + 1} has the language '{kernel}'; a .dib kernel name cannot be empty or hold spaces");
        }

        return kernel;
    }
}
