using System.Globalization;
using System.Net;
using System.Text;
using NotebookMl.Kernel.Formatting;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>HTML for the tracking displays: tables whose differing rows are highlighted.</summary>
internal static class Html
{
    /// <summary><paramref name="table"/> as an HTML table; rows whose index is in <paramref name="highlighted"/> are marked.</summary>
    public static string Table(Table table, IReadOnlySet<int>? highlighted = null)
    {
        var html = new StringBuilder();
        html.Append("<table class=\"notebookml-table\">");
        if (table.Title is { } title)
        {
            html.Append("<caption style=\"text-align:left;font-weight:bold\">").Append(Encode(title)).Append("</caption>");
        }

        html.Append("<thead><tr>");
        foreach (var column in table.Columns)
        {
            html.Append("<th>").Append(Encode(column)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        for (var i = 0; i < table.Rows.Count; i++)
        {
            html.Append(highlighted?.Contains(i) == true ? "<tr class=\"differs\" style=\"background-color:#fff3bf\">" : "<tr>");
            foreach (var cell in table.Rows[i])
            {
                html.Append("<td>").Append(Encode(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    public static string Duration(TimeSpan? duration) => duration is { } d ? d.TotalSeconds < 60 ? $"{d.TotalSeconds:0.0} s" : $"{d.TotalMinutes:0.0} min" : "";
}
