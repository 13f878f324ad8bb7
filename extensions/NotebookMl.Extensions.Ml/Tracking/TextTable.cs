using System.Text;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>A <see cref="Table"/> as aligned plain text (the notebook's text/plain rendering).</summary>
internal static class TextTable
{
    public static string Render(Table table)
    {
        var widths = table.Columns.Select((c, i) => Math.Max(c.Length, table.Rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        if (table.Title is { } title)
        {
            text.AppendLine(title);
        }

        text.AppendLine(string.Join("  ", table.Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var row in table.Rows)
        {
            text.AppendLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }
}
