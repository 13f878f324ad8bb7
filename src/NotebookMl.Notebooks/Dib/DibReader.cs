using System.Globalization;
using System.Text.Json.Nodes;
using NotebookMl.Notebooks.Json;

namespace NotebookMl.Notebooks.Dib;

/// <summary>Parses the Polyglot Notebooks .dib format (see <see cref="DibSerializer"/>).</summary>
internal static class DibReader
{
    public static NotebookDocument Parse(string text, string sourceName)
    {
        var lines = text.Split('\n').Select(line => line.EndsWith('\r') ? line[..^1] : line).ToList();
        var (meta, next) = ReadMeta(lines, sourceName);
        var cellTags = meta?["cellTags"];
        meta?.Remove("cellTags");

        var aliases = DibKernels.Aliases(meta);
        var sections = new List<(string Kernel, List<string> Lines)>();
        var kernel = DibKernels.Default(meta);
        var body = new List<string>();
        var marked = false;
        for (var i = next; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("#!", StringComparison.Ordinal) && aliases.TryGetValue(lines[i][2..], out var name))
            {
                Finish();
                (kernel, body, marked) = (name, [], true);
            }
            else
            {
                body.Add(lines[i]);
            }
        }

        Finish();
        var cells = sections.Select(s => Cell(s.Kernel, string.Join('\n', s.Lines))).ToList();
        ApplyTags(cells, cellTags, sourceName);

        var doc = NotebookDocument.Create(cells);
        if (meta is not null)
        {
            doc.Metadata["polyglot_notebook"] = meta;
        }

        return doc;

        void Finish()
        {
            // Like Polyglot, blank lines around a cell's text separate sections and are not part of it.
            var first = body.FindIndex(line => line.Length > 0);
            var trimmed = first < 0 ? new List<string>() : body[first..(body.FindLastIndex(line => line.Length > 0) + 1)];
            if (marked || trimmed.Count > 0)
            {
                sections.Add((kernel, trimmed));
            }
        }
    }

    private static NotebookCell Cell(string kernel, string source) =>
        kernel == DibKernels.Markdown ? NotebookCell.Markdown(source) : NotebookCell.Code(source).WithLanguage(kernel);

    /// <summary>Reads a leading <c>#!meta</c> section: one JSON object, up to the next <c>#!</c> line.</summary>
    private static (JsonObject? Meta, int Next) ReadMeta(List<string> lines, string sourceName)
    {
        var first = lines.FindIndex(line => line.Length > 0);
        if (first < 0 || lines[first].TrimEnd() != "#!" + DibKernels.Meta)
        {
            return (null, 0);
        }

        var end = first + 1;
        while (end < lines.Count && !lines[end].StartsWith("#!", StringComparison.Ordinal))
        {
            end++;
        }

        var json = string.Join('\n', lines[(first + 1)..end]);
        var node = JsonText.Parse(json, sourceName, "invalid JSON in the #!meta section", lineOffset: first + 1);
        return node is JsonObject meta
            ? (meta, end)
            : throw new NotebookFormatException(sourceName, $"the #!meta section must hold one JSON object; found {JsonText.Describe(node)}");
    }

    private static void ApplyTags(List<NotebookCell> cells, JsonNode? cellTags, string sourceName)
    {
        if (cellTags is null)
        {
            return;
        }

        if (cellTags is not JsonObject byIndex)
        {
            throw new NotebookFormatException(sourceName, "#!meta 'cellTags' must be an object from cell index (\"0\", \"1\", …) to a list of tags");
        }

        foreach (var (key, value) in byIndex)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw new NotebookFormatException(sourceName, $"#!meta 'cellTags' has the key \"{key}\"; expected a cell index (\"0\" is the first cell)");
            }

            if (index >= cells.Count)
            {
                throw new NotebookFormatException(sourceName, $"#!meta 'cellTags' names cell {index}, but the file has {cells.Count} cells, numbered from 0");
            }

            var tags = value as JsonArray;
            var strings = tags?.Select(t => JsonPath.String(t)).ToList();
            if (strings is null || strings.Any(t => t is null))
            {
                throw new NotebookFormatException(sourceName, $"#!meta 'cellTags' for cell {index} must be a list of strings");
            }

            cells[index] = cells[index].WithTags(strings!);
        }
    }
}
