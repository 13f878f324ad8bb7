using System.Text;

namespace NotebookMl.Kernel.Magics;

/// <summary>
/// Splits a cell into magic command lines and C# code before anything is compiled. A magic line
/// is a line starting with <c>#!</c>; <c>#!csharp</c> and <c>#!c#</c> (Polyglot's kernel
/// selectors) are dropped because this kernel is C#. After <c>#!html</c> or <c>#!markdown</c>
/// (Polyglot's selectors too), the lines up to the next selector are content shown as it is.
/// </summary>
public static class CellParser
{
    private static readonly HashSet<string> s_languageSelectors = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "C#" };
    private static readonly Dictionary<string, string> s_contentSelectors = new(StringComparer.OrdinalIgnoreCase) { ["html"] = "text/html", ["markdown"] = "text/markdown" };

    /// <summary>The segments of <paramref name="cell"/> in order.</summary>
    public static IReadOnlyList<CellSegment> Parse(string cell)
    {
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        var segments = new List<CellSegment>();
        var code = new StringBuilder();
        var codeHasContent = false;
        string? contentType = null;
        var content = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var isMagic = TryParseMagic(lines[i], i, out var magic);
            if (contentType is not null)
            {
                if (!isMagic || !(s_languageSelectors.Contains(magic.Name) || s_contentSelectors.ContainsKey(magic.Name)))
                {
                    content.Add(lines[i]);
                    continue;
                }

                segments.Add(new ContentSegment(contentType, string.Join('\n', content).Trim('\n')));
                content.Clear();
                contentType = null;
            }

            if (isMagic && s_contentSelectors.TryGetValue(magic.Name, out var mimeType))
            {
                if (codeHasContent)
                {
                    segments.Add(new CodeSegment(code.ToString()));
                }

                code.Clear();
                codeHasContent = false;
                code.Append('\n', i + 1);
                contentType = mimeType;
                continue;
            }

            if (isMagic)
            {
                if (codeHasContent)
                {
                    segments.Add(new CodeSegment(code.ToString()));
                }

                code.Clear();
                codeHasContent = false;
                code.Append('\n', i + 1);
                if (!s_languageSelectors.Contains(magic.Name))
                {
                    segments.Add(new MagicSegment(magic));
                }

                continue;
            }

            codeHasContent |= !string.IsNullOrWhiteSpace(lines[i]);
            code.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                code.Append('\n');
            }
        }

        if (contentType is not null)
        {
            segments.Add(new ContentSegment(contentType, string.Join('\n', content).Trim('\n')));
        }
        else if (codeHasContent)
        {
            segments.Add(new CodeSegment(code.ToString()));
        }

        return segments;
    }

    /// <summary>The cell with magic lines blanked (same length), for language services.</summary>
    public static string BlankMagicLines(string cell)
    {
        var builder = new StringBuilder(cell.Length);
        foreach (var line in cell.Split('\n'))
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append(line.TrimStart().StartsWith("#!", StringComparison.Ordinal) ? new string(' ', line.Length) : line);
        }

        return builder.ToString();
    }

    private static bool TryParseMagic(string line, int index, out MagicLine magic)
    {
        var trimmed = line.Trim();
        magic = null!;
        if (!trimmed.StartsWith("#!", StringComparison.Ordinal) || trimmed.Length == 2 || char.IsWhiteSpace(trimmed[2]))
        {
            return false;
        }

        var end = trimmed.IndexOfAny([' ', '\t'], 2);
        var name = end < 0 ? trimmed[2..] : trimmed[2..end];
        var arguments = end < 0 ? "" : trimmed[(end + 1)..].Trim();
        magic = new MagicLine(name, arguments, index);
        return true;
    }
}
