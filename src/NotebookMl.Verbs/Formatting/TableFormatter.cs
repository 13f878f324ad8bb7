using System.Net;
using System.Text;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookMl.Verbs.Formatting;

/// <summary>HTML and plain-text renderings of <see cref="Table"/>.</summary>
public static class TableFormatter
{
    /// <summary>Registers the renderings with the Formatter.</summary>
    public static void Register()
    {
        Formatter.Register<Table>((table, writer) => writer.Write(ToHtml(table)), "text/html");
        Formatter.Register<Table>((table, writer) => writer.Write(ToPlainText(table)), "text/plain");
    }

    /// <summary>
    /// An HTML table, its title as the caption. Text columns are left-aligned and number columns
    /// right-aligned, whatever the front-end's stylesheet says (the classic Notebook right-aligns
    /// every cell). A header of empty names is left out. Rows whose index is in
    /// <paramref name="highlighted"/> are marked.
    /// </summary>
    public static string ToHtml(Table table, IReadOnlySet<int>? highlighted = null)
    {
        var align = table.Columns.Select((_, i) => table.Rows.All(r => IsNumber(r[i])) && table.Rows.Any(r => r[i].Length > 0) ? "right" : "left").ToArray();
        var html = new StringBuilder("<table class=\"notebookml-table\">");
        if (table.Title is { } title)
        {
            html.Append("<caption style=\"text-align:left;font-weight:bold\">").Append(WebUtility.HtmlEncode(title)).Append("</caption>");
        }

        if (table.Columns.Any(c => c.Length > 0))
        {
            html.Append("<thead><tr>");
            for (var i = 0; i < table.Columns.Count; i++)
            {
                html.Append("<th style=\"text-align:").Append(align[i]).Append("\">").Append(WebUtility.HtmlEncode(table.Columns[i])).Append("</th>");
            }

            html.Append("</tr></thead>");
        }

        html.Append("<tbody>");
        for (var r = 0; r < table.Rows.Count; r++)
        {
            html.Append(highlighted?.Contains(r) == true ? "<tr class=\"differs\" style=\"background-color:#fff3bf\">" : "<tr>");
            for (var i = 0; i < table.Rows[r].Count; i++)
            {
                html.Append("<td style=\"text-align:").Append(align[i]).Append("\">").Append(WebUtility.HtmlEncode(table.Rows[r][i])).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Whether a cell reads as a number (or is empty), for its column's alignment.</summary>
    private static bool IsNumber(string cell) =>
        cell.Length == 0 || double.TryParse(cell.Replace(",", "", StringComparison.Ordinal).TrimEnd('%', 's', ' '), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>An aligned text table with a header rule.</summary>
    public static string ToPlainText(Table table)
    {
        var widths = table.Columns.Select((c, i) => Math.Max(c.Length, table.Rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        if (table.Title is { } title)
        {
            text.AppendLine(title);
        }

        text.AppendLine(Line(table.Columns, widths));
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in table.Rows)
        {
            text.AppendLine(Line(row, widths));
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd();
}
