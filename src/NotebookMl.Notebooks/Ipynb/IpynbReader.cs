using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Notebooks.Json;

namespace NotebookMl.Notebooks.Ipynb;

/// <summary>Builds a <see cref="NotebookDocument"/> from nbformat 4 JSON, keeping every property it does not model.</summary>
internal static class IpynbReader
{
    private const int HighestMinor = 5;

    public static NotebookDocument Parse(string json, string sourceName)
    {
        var root = JsonText.Parse(json, sourceName, "invalid JSON", lineOffset: 0);
        if (root is not JsonObject notebook)
        {
            throw new NotebookFormatException(sourceName, $"expected a notebook (a JSON object with 'nbformat', 'metadata' and 'cells'); found {JsonText.Describe(root)}");
        }

        var major = Version(notebook, "nbformat", sourceName)
            ?? throw new NotebookFormatException(sourceName, "has no 'nbformat' version; expected an nbformat 4 notebook");
        if (major != 4)
        {
            throw new NotebookFormatException(sourceName, $"nbformat {major} is not supported; expected nbformat 4");
        }

        var minor = Version(notebook, "nbformat_minor", sourceName)
            ?? throw new NotebookFormatException(sourceName, "has no 'nbformat_minor'; expected nbformat 4.0 to 4.5");
        if (minor is < 0 or > HighestMinor)
        {
            throw new NotebookFormatException(sourceName, $"nbformat 4.{minor} is not supported; expected nbformat 4.0 to 4.{HighestMinor}");
        }

        var metadata = Take<JsonObject>(notebook, "metadata", "the notebook's 'metadata' must be an object", sourceName) ?? [];
        var cells = Take<JsonArray>(notebook, "cells", "the notebook's 'cells' must be a list", sourceName)
            ?? throw new NotebookFormatException(sourceName, "has no 'cells' list; expected an nbformat 4 notebook");
        notebook.Remove("nbformat");
        notebook.Remove("nbformat_minor");

        var nodes = cells.ToList();
        cells.Clear();
        var parsed = nodes.Select((node, i) => ReadCell(node, i + 1, sourceName)).ToList();
        return new NotebookDocument(major, minor, metadata, parsed) { AdditionalProperties = notebook };
    }

    private static NotebookCell ReadCell(JsonNode? node, int number, string sourceName)
    {
        if (node is not JsonObject cell)
        {
            throw new NotebookFormatException(sourceName, $"cell {number} is not a JSON object; found {JsonText.Describe(node)}");
        }

        var kind = JsonPath.String(cell, "cell_type") switch
        {
            "code" => CellKind.Code,
            "markdown" => CellKind.Markdown,
            "raw" => CellKind.Raw,
            null when cell["cell_type"] is null => throw new NotebookFormatException(sourceName, $"cell {number} has no 'cell_type'"),
            _ => throw new NotebookFormatException(sourceName, $"cell {number} has cell_type {cell["cell_type"]!.ToJsonString()}; expected \"code\", \"markdown\" or \"raw\""),
        };
        cell.Remove("cell_type");

        var source = cell["source"] switch
        {
            null => throw new NotebookFormatException(sourceName, $"cell {number} has no 'source'"),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            var other => NbformatLines.JoinedOrNull(other)
                ?? throw new NotebookFormatException(sourceName, $"cell {number}: 'source' must be a string or a list of strings"),
        };
        cell.Remove("source");

        var id = cell["id"] switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw new NotebookFormatException(sourceName, $"cell {number}: 'id' must be a string"),
        };
        cell.Remove("id");

        var metadata = Take<JsonObject>(cell, "metadata", $"cell {number}: 'metadata' must be an object", sourceName) ?? [];
        var attachments = Take<JsonObject>(cell, "attachments", $"cell {number}: 'attachments' must be an object", sourceName);
        int? executionCount = null;
        JsonArray outputs = [];
        if (kind == CellKind.Code)
        {
            executionCount = ExecutionCount(cell, number, sourceName);
            outputs = Take<JsonArray>(cell, "outputs", $"cell {number}: 'outputs' must be a list", sourceName) ?? [];
        }

        NbformatLines.Rejoin(kind, outputs, attachments);
        return new NotebookCell(kind, source, id, metadata, executionCount, outputs, attachments) { AdditionalProperties = cell };
    }

    private static int? ExecutionCount(JsonObject cell, int number, string sourceName)
    {
        var node = cell["execution_count"];
        cell.Remove("execution_count");
        return node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var count) => count,
            _ => throw new NotebookFormatException(sourceName, $"cell {number}: 'execution_count' must be a whole number or null"),
        };
    }

    private static int? Version(JsonObject notebook, string name, string sourceName) => notebook[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var version) => version,
        var other => throw new NotebookFormatException(sourceName, $"'{name}' is {other.ToJsonString()}; expected a whole number"),
    };

    /// <summary>Detaches property <paramref name="name"/> from <paramref name="parent"/> so the model can own it.</summary>
    private static T? Take<T>(JsonObject parent, string name, string problem, string sourceName)
        where T : JsonNode
    {
        var node = parent[name];
        if (node is not null and not T)
        {
            throw new NotebookFormatException(sourceName, problem);
        }

        parent.Remove(name);
        return (T?)node;
    }
}
