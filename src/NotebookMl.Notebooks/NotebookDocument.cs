using System.Text.Json.Nodes;

namespace NotebookMl.Notebooks;

/// <summary>
/// A notebook as nbformat 4 stores it: format version, notebook metadata and cells. Whatever the
/// file holds that this type does not model stays in <see cref="Metadata"/>, the cells, or
/// <see cref="AdditionalProperties"/>, so reading and writing a notebook loses nothing.
/// Equality compares every member, JSON members by value.
/// </summary>
/// <param name="NbFormat">The major format version; always 4.</param>
/// <param name="NbFormatMinor">The minor format version, 0 to 5; cell ids exist from 5.</param>
/// <param name="Metadata">The notebook's <c>metadata</c> object (kernelspec, language_info, …).</param>
/// <param name="Cells">The cells in order.</param>
public sealed record NotebookDocument(int NbFormat, int NbFormatMinor, JsonObject Metadata, IReadOnlyList<NotebookCell> Cells)
{
    /// <summary>The kernel name <see cref="Create"/> uses unless told otherwise.</summary>
    public const string DefaultKernelName = "notebookml-csharp";

    /// <summary>The notebook's <c>metadata</c> object.</summary>
    public JsonObject Metadata { get; init; } = Metadata ?? throw new ArgumentNullException(nameof(Metadata));

    /// <summary>The cells in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; init; } = Cells ?? throw new ArgumentNullException(nameof(Cells));

    /// <summary>Top-level properties that nbformat 4 does not define, kept for the round trip.</summary>
    public JsonObject AdditionalProperties { get; init; } = [];

    /// <summary>The kernel the notebook asks for: <c>metadata.kernelspec.name</c>, or null.</summary>
    public string? KernelName => JsonPath.String(Metadata, "kernelspec", "name");

    /// <summary>The notebook's language: <c>metadata.kernelspec.language</c>, else <c>metadata.language_info.name</c>, else null.</summary>
    public string? Language =>
        JsonPath.String(Metadata, "kernelspec", "language") ?? JsonPath.String(Metadata, "language_info", "name");

    /// <summary>
    /// A new nbformat 4.5 notebook for the NotebookMl C# kernel holding <paramref name="cells"/>. Cells
    /// without an id, or whose id an earlier cell already has, get one derived from their kind and text.
    /// </summary>
    /// <param name="cells">The cells in order.</param>
    /// <param name="kernelName">The kernelspec name to record.</param>
    public static NotebookDocument Create(IEnumerable<NotebookCell> cells, string kernelName = DefaultKernelName)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentException.ThrowIfNullOrWhiteSpace(kernelName);
        var list = cells.ToList();
        var ids = CellIds.Resolve(list);
        var metadata = new JsonObject
        {
            ["kernelspec"] = new JsonObject
            {
                ["display_name"] = "C# (NotebookMl)",
                ["language"] = "C#",
                ["name"] = kernelName,
            },
            ["language_info"] = new JsonObject
            {
                ["file_extension"] = ".cs",
                ["mimetype"] = "text/x-csharp",
                ["name"] = "C#",
                ["pygments_lexer"] = "csharp",
            },
        };
        return new NotebookDocument(4, 5, metadata, [.. list.Select((cell, i) => cell with { Id = ids[i] })]);
    }

    /// <inheritdoc />
    public bool Equals(NotebookDocument? other) =>
        other is not null
        && NbFormat == other.NbFormat
        && NbFormatMinor == other.NbFormatMinor
        && Cells.SequenceEqual(other.Cells)
        && JsonNode.DeepEquals(Metadata, other.Metadata)
        && JsonNode.DeepEquals(AdditionalProperties, other.AdditionalProperties);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(NbFormat, NbFormatMinor, Cells.Count);
}
