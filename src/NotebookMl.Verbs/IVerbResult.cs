using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Verbs;

/// <summary>
/// A verb's result with its terminal renderings: text tables, and one JSON document for
/// <c>--json</c>. In a notebook the value itself is displayed (its formatter or <see cref="IMimeRenderable"/>).
/// </summary>
public interface IVerbResult
{
    /// <summary>The tables a terminal shows, in order.</summary>
    IReadOnlyList<Table> ToTables();

    /// <summary>The value <c>--json</c> writes (serialized with System.Text.Json).</summary>
    object ToJson();
}
