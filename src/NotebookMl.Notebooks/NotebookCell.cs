using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks;

/// <summary>
/// One cell of a notebook, as nbformat 4 stores it. JSON-valued members hold the file's own
/// objects (outputs are not modelled), so properties this type does not know survive a round trip.
/// Treat the <see cref="JsonNode"/> members as read-only: <c>with</c> copies share them.
/// Equality compares every member, JSON members by value.
/// </summary>
/// <param name="Kind">Code, markdown or raw.</param>
/// <param name="Source">The cell's text, lines joined (never a list of lines).</param>
/// <param name="Id">The nbformat 4.5 cell id, or null where the file has none.</param>
/// <param name="Metadata">The cell's <c>metadata</c> object.</param>
/// <param name="ExecutionCount">The code cell's <c>execution_count</c>; null if never run or not code.</param>
/// <param name="Outputs">The code cell's raw nbformat output objects (empty for other kinds).</param>
/// <param name="Attachments">The cell's <c>attachments</c>, or null where it has none.</param>
public sealed record NotebookCell(
    CellKind Kind,
    string Source,
    string? Id,
    JsonObject Metadata,
    int? ExecutionCount,
    JsonArray Outputs,
    JsonObject? Attachments)
{
    /// <summary>The cell's text, lines joined.</summary>
    public string Source { get; init; } = Source ?? throw new ArgumentNullException(nameof(Source));

    /// <summary>The cell's <c>metadata</c> object.</summary>
    public JsonObject Metadata { get; init; } = Metadata ?? throw new ArgumentNullException(nameof(Metadata));

    /// <summary>The code cell's raw nbformat output objects.</summary>
    public JsonArray Outputs { get; init; } = Outputs ?? throw new ArgumentNullException(nameof(Outputs));

    /// <summary>Properties of the cell object that nbformat 4 does not define, kept for the round trip.</summary>
    public JsonObject AdditionalProperties { get; init; } = [];

    /// <summary>The strings of <c>metadata.tags</c> (e.g. <c>parameters</c>); empty where there are none.</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags
            ? [.. tags.OfType<JsonValue>().Where(t => t.GetValueKind() == JsonValueKind.String).Select(t => t.GetValue<string>())]
            : [];

    /// <summary>
    /// The cell's language as Polyglot Notebooks / .NET Interactive record it:
    /// <c>metadata.polyglot_notebook.kernelName</c>, else <c>metadata.dotnet_interactive.language</c>, else null.
    /// </summary>
    public string? Language =>
        JsonPath.String(Metadata, "polyglot_notebook", "kernelName") ?? JsonPath.String(Metadata, "dotnet_interactive", "language");

    /// <summary>A new code cell with a cell id derived from its kind and text (see <see cref="NotebookDocument.Create"/>).</summary>
    /// <param name="source">The code.</param>
    /// <param name="id">The cell id to use instead of the derived one.</param>
    public static NotebookCell Code(string source, string? id = null) => New(CellKind.Code, source, id);

    /// <summary>A new markdown cell with a cell id derived from its kind and text.</summary>
    /// <param name="source">The markdown.</param>
    /// <param name="id">The cell id to use instead of the derived one.</param>
    public static NotebookCell Markdown(string source, string? id = null) => New(CellKind.Markdown, source, id);

    /// <summary>A new raw cell with a cell id derived from its kind and text.</summary>
    /// <param name="source">The raw text.</param>
    /// <param name="id">The cell id to use instead of the derived one.</param>
    public static NotebookCell Raw(string source, string? id = null) => New(CellKind.Raw, source, id);

    /// <summary>A copy whose <c>metadata.tags</c> are <paramref name="tags"/> (removed when empty).</summary>
    public NotebookCell WithTags(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var metadata = (JsonObject)Metadata.DeepClone();
        var list = tags.ToList();
        if (list.Count == 0)
        {
            metadata.Remove("tags");
        }
        else
        {
            metadata["tags"] = new JsonArray([.. list.Select(t => (JsonNode?)JsonValue.Create(t))]);
        }

        return this with { Metadata = metadata };
    }

    /// <summary>
    /// A copy whose language is <paramref name="kernelName"/> (e.g. <c>csharp</c>, <c>fsharp</c>), written
    /// where Polyglot Notebooks writes it: <c>metadata.polyglot_notebook.kernelName</c> and
    /// <c>metadata.dotnet_interactive.language</c>.
    /// </summary>
    public NotebookCell WithLanguage(string kernelName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kernelName);
        var metadata = (JsonObject)Metadata.DeepClone();
        JsonPath.Object(metadata, "dotnet_interactive")["language"] = kernelName;
        JsonPath.Object(metadata, "polyglot_notebook")["kernelName"] = kernelName;
        return this with { Metadata = metadata };
    }

    /// <inheritdoc />
    public bool Equals(NotebookCell? other) =>
        other is not null
        && Kind == other.Kind
        && Source == other.Source
        && Id == other.Id
        && ExecutionCount == other.ExecutionCount
        && JsonNode.DeepEquals(Metadata, other.Metadata)
        && JsonNode.DeepEquals(Outputs, other.Outputs)
        && JsonNode.DeepEquals(Attachments, other.Attachments)
        && JsonNode.DeepEquals(AdditionalProperties, other.AdditionalProperties);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Source, Id, ExecutionCount);

    private static NotebookCell New(CellKind kind, string source, string? id)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new NotebookCell(kind, source, id ?? CellIds.Derive(kind, source), [], null, [], null);
    }
}
