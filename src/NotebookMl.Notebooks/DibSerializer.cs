using NotebookMl.Notebooks.Dib;

namespace NotebookMl.Notebooks;

/// <summary>
/// Reads and writes Polyglot Notebooks' plain-text <c>.dib</c> format.
/// <para>
/// A file is a sequence of sections. Each starts with a line <c>#!kernelName</c> (<c>#!csharp</c>,
/// <c>#!fsharp</c>, <c>#!pwsh</c>, <c>#!markdown</c>, …), then a blank line, the cell's text, and a
/// blank line before the next marker. Only kernel names and aliases start a section — those of the
/// <c>#!meta</c> kernel list and .NET Interactive's own — so magic commands such as <c>#!time</c> stay
/// in their cell. <c>#!markdown</c> gives a markdown cell; any other kernel a code cell whose metadata
/// records the kernel as Polyglot does in .ipynb files (<c>polyglot_notebook.kernelName</c> and
/// <c>dotnet_interactive.language</c>). Text before the first marker is a code cell in the default kernel
/// (<c>kernelInfo.defaultKernelName</c>, else csharp). Blank lines around a cell's text are not part of it.
/// CRLF is read; LF is written.
/// </para>
/// <para>
/// An optional first section <c>#!meta</c> holds one JSON object — Polyglot writes
/// <c>{"kernelInfo":{"defaultKernelName":"csharp","items":[…]}}</c> — which becomes notebook metadata
/// <c>polyglot_notebook</c>, and is written back from it.
/// </para>
/// <para>
/// Tags (e.g. <c>parameters</c>) live in that same #!meta object under <c>cellTags</c>: an object from
/// the zero-based index of a cell in the file to its list of tags, e.g.
/// <c>{"kernelInfo":{…},"cellTags":{"1":["parameters"]}}</c>. They are read into <c>metadata.tags</c>
/// of those cells and written from them. The #!meta section is the one place Polyglot Notebooks keeps
/// data it does not understand without running it, so a tagged file still opens and runs there; the
/// cost is that an editor unaware of the scheme does not renumber the indexes when it inserts or
/// removes cells above a tagged one. An index past the last cell is reported as an error.
/// </para>
/// <para>
/// A .dib file has no place for outputs, execution counts, raw cells or other cell metadata: outputs
/// and counts are dropped when writing, and a raw cell is an error.
/// </para>
/// </summary>
public static class DibSerializer
{
    /// <summary>Reads a notebook from .dib text; the result is an nbformat 4.5 notebook for the NotebookMl kernel.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <exception cref="NotebookFormatException">The #!meta section is not a JSON object, or its cellTags are malformed.</exception>
    public static NotebookDocument Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        return DibReader.Parse(text, sourceName);
    }

    /// <summary>Writes <paramref name="doc"/> as the text of a .dib file (LF line endings).</summary>
    /// <exception cref="NotebookFormatException">A cell is raw, or holds a line that would start a new section.</exception>
    public static string Serialize(NotebookDocument doc) => DibWriter.Serialize(doc, "notebook");
}
