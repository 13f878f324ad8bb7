using System.Text;

namespace NotebookMl.Kernel.Magics;

/// <summary>
/// Splits a cell into magic command lines and C# code before anything is compiled. A magic line
/// is a line starting with <c>#!</c>; <c>#!csharp</c> and <c>#!c#</c> (Polyglot's kernel
/// selectors) are dropped because this kernel is C#.
/// </summary>
public static class CellParser
{
    private static readonly HashSet<string> s_languageSelectors = new(StringComparer.OrdinalIgnoreCase) { "csharp", "c#", "C#" };

    /// <summary>The segments of <paramref name="cell"/> in order.</summary>
    public static IReadOnlyList<CellSegment> Parse(string cell)
    {
        var lines = cell.Replace("\r\n", "\n").Split('\n');
        var segments = new List<CellSegment>();
        var code = new StringBuilder();
        var codeHasContent = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (TryParseMagic(lines[i], i, out var magic))
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

        if (codeHasContent)
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
