using System.Net;
using System.Text;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookMl.Kernel.Formatting;

/// <summary>HTML and plain-text renderings of <see cref="Table"/>.</summary>
public static class TableFormatter
{
    /// <summary>Registers the renderings with the Formatter.</summary>
    public static void Register()
    {
        Formatter.Register<Table>((table, writer) => writer.Write(ToHtml(table)), "text/html");
        Formatter.Register<Table>((table, writer) => writer.Write(ToPlainText(table)), "text/plain");
    }

    /// <summary>An HTML table.</summary>
    public static string ToHtml(Table table)
    {
        var html = new StringBuilder();
        if (table.Title is { } title)
        {
            html.Append("<p><b>").Append(WebUtility.HtmlEncode(title)).Append("</b></p>");
        }

        html.Append("<table><thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append("<th>").Append(WebUtility.HtmlEncode(column)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

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
