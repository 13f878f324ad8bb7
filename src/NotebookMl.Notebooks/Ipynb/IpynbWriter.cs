using System.Text.Json.Nodes;
using NotebookMl.Notebooks.Json;

namespace NotebookMl.Notebooks.Ipynb;

/// <summary>Writes a <see cref="NotebookDocument"/> as <c>nbformat.write</c> would (see nbformat/v4/nbjson.py).</summary>
internal static class IpynbWriter
{
    private static readonly HashSet<string> NotebookKeys = ["cells", "metadata", "nbformat", "nbformat_minor"];
    private static readonly HashSet<string> CellKeys = ["cell_type", "id", "metadata", "source", "attachments"];
    private static readonly HashSet<string> CodeCellKeys = [.. CellKeys, "execution_count", "outputs"];

    public static string Serialize(NotebookDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        if (doc.NbFormat != 4)
        {
            throw new ArgumentException($"Only nbformat 4 can be written; this notebook is nbformat {doc.NbFormat}.", nameof(doc));
        }

        var root = CopyExcept(doc.AdditionalProperties, NotebookKeys);
        var metadata = (JsonObject)doc.Metadata.DeepClone();

        // nbformat's strip_transient: values that only make sense in memory.
        metadata.Remove("orig_nbformat");
        metadata.Remove("orig_nbformat_minor");
        metadata.Remove("signature");
        root["metadata"] = metadata;
        root["nbformat"] = doc.NbFormat;
        root["nbformat_minor"] = doc.NbFormatMinor;

        var ids = doc.NbFormatMinor >= 5 ? CellIds.Resolve(doc.Cells) : null;
        root["cells"] = new JsonArray([.. doc.Cells.Select((cell, i) => (JsonNode?)Cell(cell, ids?[i] ?? cell.Id))]);
        return PythonJsonWriter.Write(root) + "\n";
    }

    private static JsonObject Cell(NotebookCell cell, string? id)
    {
        var obj = CopyExcept(cell.AdditionalProperties, cell.Kind == CellKind.Code ? CodeCellKeys : CellKeys);
        obj["cell_type"] = cell.Kind switch
        {
            CellKind.Code => "code",
            CellKind.Markdown => "markdown",
            _ => "raw",
        };
        if (id is not null)
        {
            obj["id"] = id;
        }

        var metadata = (JsonObject)cell.Metadata.DeepClone();
        metadata.Remove("trusted");
        obj["metadata"] = metadata;
        obj["source"] = NbformatLines.Lines(cell.Source);

        var attachments = (JsonObject?)cell.Attachments?.DeepClone();
        var outputs = cell.Kind == CellKind.Code ? (JsonArray)cell.Outputs.DeepClone() : null;
        NbformatLines.Split(cell.Kind, outputs, attachments);
        if (attachments is not null)
        {
            obj["attachments"] = attachments;
        }

        if (outputs is not null)
        {
            obj["execution_count"] = cell.ExecutionCount;
            obj["outputs"] = outputs;
        }

        return obj;
    }

    private static JsonObject CopyExcept(JsonObject source, HashSet<string> excluded)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (!excluded.Contains(key))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }
}
