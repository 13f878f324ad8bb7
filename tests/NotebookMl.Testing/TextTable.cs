using System.Text.RegularExpressions;

namespace NotebookMl.Testing;

/// <summary>Reads back a table as the text/plain displays print it: a header, then one aligned line per row.</summary>
public static partial class TextTable
{
    /// <summary>
    /// The rows of the first table in <paramref name="text"/> whose header starts with
    /// <paramref name="firstColumn"/>, each as column → value; a row ends at a blank line.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Parse(string text, string firstColumn = "run")
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith(firstColumn + " ", StringComparison.Ordinal));
        if (header < 0)
        {
            throw new FormatException($"no table headed '{firstColumn}' in:\n{text}");
        }

        var columns = Names().Matches(lines[header]).Select(m => (m.Value, m.Index)).ToArray();
        return lines.Skip(header + 1).TakeWhile(l => l.Trim().Length > 0).Select(line =>
        {
            var row = new Dictionary<string, string>();
            for (var c = 0; c < columns.Length; c++)
            {
                var start = Math.Min(columns[c].Index, line.Length);
                var end = c + 1 < columns.Length ? Math.Min(columns[c + 1].Index, line.Length) : line.Length;
                row[columns[c].Value] = line[start..end].Trim();
            }

            return (IReadOnlyDictionary<string, string>)row;
        }).ToArray();
    }

    // Column names are separated by two spaces or more; a name may hold single spaces ("test AUC").
    [GeneratedRegex(@"\S+(?: \S+)*")]
    private static partial Regex Names();
}
