using NotebookMl.Notebooks.Ipynb;

namespace NotebookMl.Notebooks;

/// <summary>
/// Reads and writes Jupyter notebooks (nbformat 4.0 to 4.5 JSON).
/// <para>
/// <see cref="Serialize"/> writes the bytes Python's <c>nbformat.write</c> writes: JSON indented by
/// one space, keys sorted by code point at every level, non-ASCII characters as they are, multi-line
/// text split into lists of lines that keep their line breaks (cell sources; <c>text</c> of stream
/// outputs; <c>text/*</c>, <c>application/javascript</c> and <c>image/svg+xml</c> values of output and
/// attachment bundles — JSON mimetypes stay objects, base64 images stay strings), floats in Python's
/// repr, and a newline at the end. So parsing a file that <c>nbformat.write</c> produced and
/// serializing it gives the same bytes, and properties unknown to this library survive at every level.
/// </para>
/// <para>
/// <see cref="Parse"/> joins list-of-lines text back into strings, as <c>nbformat.read</c> does. Cell
/// ids are written where a cell has one, and for every cell of an nbformat 4.5 notebook (cells lacking
/// one, or repeating an earlier cell's, get an id derived from their kind and text).
/// </para>
/// </summary>
public static class IpynbSerializer
{
    /// <summary>Reads a notebook from nbformat 4 JSON text.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <exception cref="NotebookFormatException">The text is not an nbformat 4.0–4.5 notebook; the message says where and why.</exception>
    public static NotebookDocument Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        return IpynbReader.Parse(json, sourceName);
    }

    /// <summary>Writes <paramref name="doc"/> as the text of an <c>.ipynb</c> file (see the type's remarks).</summary>
    /// <exception cref="ArgumentException"><paramref name="doc"/> is not nbformat 4.</exception>
    public static string Serialize(NotebookDocument doc) => IpynbWriter.Serialize(doc);
}
