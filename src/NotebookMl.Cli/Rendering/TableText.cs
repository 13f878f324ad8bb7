using System.Text;
using ResultTable = NotebookMl.Verbs.Formatting.Table;

namespace NotebookMl.Cli.Rendering;

/// <summary>
/// A table laid out for where it goes, as psql and kubectl do:
/// <list type="bullet">
/// <item>piped (a file, another program): a <c># title</c> line, then tab-separated rows of full values, never wrapped;</item>
/// <item>a terminal: aligned columns that fit its width. Long values fold onto at most <see cref="MaxLines"/> lines and are then
/// elided with …, no column narrower than its name or <see cref="MinWidth"/>; columns the table marks optional are left out
/// (and it says so) before anything is squeezed further; when even the essential columns do not fit, one block of
/// <c>key  value</c> lines per row (psql's <c>\x</c>);</item>
/// <item>a table asked for wide: every column at its full width, whatever the terminal's.</item>
/// </list>
/// </summary>
internal static class TableText
{
    /// <summary>The fewest characters a column of long values is given.</summary>
    public const int MinWidth = 12;

    /// <summary>The most lines one value folds onto before it is elided.</summary>
    public const int MaxLines = 3;

    private const string Gap = "  ";

    /// <summary>Writes <paramref name="table"/> for a pipe: full values, tab-separated.</summary>
    public static void WritePiped(TextWriter writer, ResultTable table)
    {
        if (table.Title is { } title)
        {
            writer.WriteLine("# " + Flat(title));
        }

        writer.WriteLine(string.Join('\t', table.Columns.Select(Flat)));
        foreach (var row in table.Rows)
        {
            writer.WriteLine(string.Join('\t', row.Select(Flat)));
        }
    }

    /// <summary>Writes <paramref name="table"/> for a terminal of <paramref name="width"/> columns.</summary>
    public static void WriteTerminal(TextWriter writer, ResultTable table, int width)
    {
        width = Math.Max(width, 40);
        if (table.Title is { } title)
        {
            foreach (var line in Fold(title, width, int.MaxValue))
            {
                writer.WriteLine(line);
            }
        }

        var natural = table.Columns.Select((c, i) => Math.Max(c.Length, table.Rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        if (table.Wide)
        {
            WriteColumns(writer, table.Columns, table.Rows, natural);
            return;
        }

        // Optional columns go first, rightmost first; only then are values squeezed; then records.
        var shown = Enumerable.Range(0, table.Columns.Count).ToList();
        var essential = Math.Min(table.Essential ?? table.Columns.Count, table.Columns.Count);
        while (shown.Count > essential && shown.Sum(i => natural[i]) + (Gap.Length * (shown.Count - 1)) > width)
        {
            shown.RemoveAt(shown.Count - 1);
        }

        var widths = Fit(shown.Select(i => natural[i]).ToArray(), shown.Select(i => table.Columns[i].Length).ToArray(), width);
        if (widths is null)
        {
            WriteRecords(writer, table, width);
            return;
        }

        WriteColumns(writer, shown.Select(i => table.Columns[i]).ToArray(), table.Rows.Select(r => (IReadOnlyList<string>)shown.Select(i => r[i]).ToArray()).ToArray(), widths);
        if (shown.Count < table.Columns.Count)
        {
            var left = table.Columns.Skip(shown.Count).ToArray();
            var named = string.Join(", ", left.Take(3)) + (left.Length > 3 ? ", …" : "");
            foreach (var line in Fold($"(+{left.Length} column{(left.Length > 1 ? "s" : "")} not shown at {width} characters: {named}{(table.MoreColumns is { } hint ? $"; {hint}" : "")})", width, int.MaxValue))
            {
                writer.WriteLine(line);
            }
        }
    }

    /// <summary>Widths for columns of natural widths <paramref name="natural"/> within <paramref name="width"/>, or null when even their minimums do not fit.</summary>
    private static int[]? Fit(int[] natural, int[] headers, int width)
    {
        var widths = (int[])natural.Clone();
        var room = width - (Gap.Length * (widths.Length - 1));
        var minimum = natural.Select((n, i) => Math.Min(n, Math.Max(headers[i], MinWidth))).ToArray();
        if (minimum.Sum() > room)
        {
            return null;
        }

        // Take from the widest column that can still give, one character at a time.
        while (widths.Sum() > room)
        {
            var widest = Enumerable.Range(0, widths.Length).Where(i => widths[i] > minimum[i]).MaxBy(i => widths[i]);
            widths[widest]--;
        }

        return widths;
    }

    private static void WriteColumns(TextWriter writer, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<int> widths)
    {
        writer.WriteLine(Line(columns.Select((c, i) => c.PadRight(widths[i]))));
        writer.WriteLine(Line(widths.Select(w => new string('─', w))));
        foreach (var row in rows)
        {
            var cells = row.Select((value, i) => Fold(value, widths[i], MaxLines)).ToArray();
            for (var line = 0; line < cells.Max(c => c.Count); line++)
            {
                writer.WriteLine(Line(cells.Select((c, i) => (line < c.Count ? c[line] : "").PadRight(widths[i]))));
            }
        }
    }

    private static void WriteRecords(TextWriter writer, ResultTable table, int width)
    {
        var keyWidth = Math.Min(table.Columns.Max(c => c.Length), width / 3);
        var valueWidth = width - keyWidth - Gap.Length;
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var label = $"─[ {r + 1} ]";
            writer.WriteLine(label + new string('─', Math.Max(0, Math.Min(width, keyWidth + Gap.Length + 20) - label.Length)));
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var key = Fold(table.Columns[c], keyWidth, 1)[0];
                var lines = Fold(table.Rows[r][c], valueWidth, int.MaxValue);
                for (var l = 0; l < lines.Count; l++)
                {
                    writer.WriteLine(Line([(l == 0 ? key : "").PadRight(keyWidth), lines[l]]));
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="text"/> in lines of at most <paramref name="width"/> characters, broken after a space, comma, slash or
    /// semicolon where there is one, at most <paramref name="maxLines"/> lines, the last ending in … when there was more.
    /// </summary>
    internal static IReadOnlyList<string> Fold(string text, int width, int maxLines)
    {
        text = Flat(text);
        var lines = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > width && lines.Count < maxLines)
        {
            var cut = rest[..width].LastIndexOfAny(" ,/;");
            var take = cut >= width / 3 ? cut + 1 : width;
            lines.Add(rest[..take].TrimEnd().ToString());
            rest = rest[take..].TrimStart();
        }

        if (rest.Length > 0 && lines.Count < maxLines)
        {
            lines.Add(rest.ToString());
        }
        else if (rest.Length > 0)
        {
            var last = lines[^1];
            lines[^1] = (last.Length >= width ? last[..(width - 1)] : last).TrimEnd() + "…";
        }

        return lines.Count == 0 ? [""] : lines;
    }

    private static string Line(IEnumerable<string> cells) => string.Join(Gap, cells).TrimEnd();

    private static string Flat(string text) => text.Replace('\t', ' ').Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ');
}
