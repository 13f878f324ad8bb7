using System.Text;
using NotebookMl.Notebooks.Dib;

namespace NotebookMl.Notebooks;

/// <summary>Reads and writes notebook files, choosing the format by extension (.ipynb or .dib).</summary>
public static class NotebookFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The format a path's extension names (case-insensitive).</summary>
    /// <exception cref="NotebookFormatException">The extension is neither .ipynb nor .dib.</exception>
    public static NotebookFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".ipynb" => NotebookFormat.Ipynb,
            ".dib" => NotebookFormat.Dib,
            var other => throw new NotebookFormatException(
                path,
                $"{(other.Length == 0 ? "no file extension" : $"the extension '{other}'")} is not a notebook format; expected .ipynb or .dib"),
        };
    }

    /// <summary>Reads the notebook at <paramref name="path"/> (UTF-8, with or without a byte order mark).</summary>
    /// <exception cref="NotebookFormatException">The file is missing, unreadable, or not a valid notebook; the message names it.</exception>
    public static NotebookDocument Read(string path)
    {
        var format = FormatOf(path);
        if (!File.Exists(path))
        {
            throw new NotebookFormatException(path, "file not found");
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Utf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new NotebookFormatException(path, "is not UTF-8 text; notebooks are UTF-8", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotebookFormatException(path, $"cannot be read: {e.Message}", e);
        }

        return format == NotebookFormat.Ipynb ? IpynbSerializer.Parse(text, path) : DibSerializer.Parse(text, path);
    }

    /// <summary>
    /// Writes <paramref name="doc"/> to <paramref name="path"/> in the format its extension names. The
    /// text goes to a temporary file in the same folder that then replaces the target in one rename,
    /// so a reader sees the old file or the new one, never part of one.
    /// </summary>
    /// <exception cref="NotebookFormatException">The extension is unknown, or the notebook cannot be held in that format.</exception>
    public static void Write(NotebookDocument doc, string path)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var text = FormatOf(path) == NotebookFormat.Ipynb ? IpynbSerializer.Serialize(doc) : DibWriter.Serialize(doc, path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new NotebookFormatException(path, $"cannot be written: the folder '{folder}' does not exist");
        }

        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Utf8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw;
        }
    }
}
