using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;

namespace NotebookMl.Kernel.Formatting;

/// <summary>Renders a <see cref="DataFrame"/> as a table of its first rows, with column types and its shape.</summary>
public static class DataFrameFormatter
{
    /// <summary>How many rows are shown before "… more rows".</summary>
    public const int MaxRows = 20;

    /// <summary>Registers the HTML and plain-text renderings with the Formatter.</summary>
    public static void Register()
    {
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(ToHtml(frame)), "text/html");
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(ToPlainText(frame)), "text/plain");
    }

    /// <summary>An HTML table of the first <see cref="MaxRows"/> rows.</summary>
    public static string ToHtml(DataFrame frame)
    {
        // Numbers right, text left, whatever the front-end's stylesheet says.
        var align = frame.Columns.Select(c => IsNumeric(c.DataType) ? "right" : "left").ToArray();
        var html = new StringBuilder("<table class=\"notebookml-dataframe\"><thead><tr><th></th>");
        for (var i = 0; i < frame.Columns.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th style=\"text-align:{align[i]}\">{Encode(frame.Columns[i].Name)}<br/><small>{Encode(TypeName(frame.Columns[i]))}</small></th>");
        }

        html.Append("</tr></thead><tbody>");
        var shown = Math.Min(frame.Rows.Count, MaxRows);
        for (long row = 0; row < shown; row++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><i>{row}</i></td>");
            for (var i = 0; i < frame.Columns.Count; i++)
            {
                html.Append("<td style=\"text-align:").Append(align[i]).Append("\">").Append(Encode(Cell(frame.Columns[i][row]))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Shape(frame, shown)}</p>");
        return html.ToString();
    }

    /// <summary>An aligned text table of the first <see cref="MaxRows"/> rows.</summary>
    public static string ToPlainText(DataFrame frame)
    {
        var shown = (int)Math.Min(frame.Rows.Count, MaxRows);
        var columns = frame.Columns.ToList();
        var cells = new string[shown + 1][];
        cells[0] = ["", .. columns.Select(c => c.Name)];
        for (var row = 0; row < shown; row++)
        {
            cells[row + 1] = [row.ToString(CultureInfo.InvariantCulture), .. columns.Select(c => Cell(c[row]))];
        }

        var widths = Enumerable.Range(0, columns.Count + 1).Select(i => cells.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in cells)
        {
            text.AppendLine(string.Join("  ", line.Select((cell, i) => cell.PadLeft(widths[i]))).TrimEnd());
        }

        return text.Append(Shape(frame, shown)).ToString();
    }

    private static string Shape(DataFrame frame, long shown)
    {
        var more = frame.Rows.Count - shown;
        var suffix = more > 0 ? $" (first {shown} shown)" : "";
        return $"{frame.Rows.Count} rows × {frame.Columns.Count} columns{suffix}";
    }

    private static string TypeName(DataFrameColumn column) => column.DataType.Name;

    private static string Cell(object? value) => value switch
    {
        null => "null",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static bool IsNumeric(Type type) => Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;
}
