using System.Globalization;
using System.Net;
using NotebookMl.Kernel.Formatting;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>HTML for the tracking displays: tables whose differing rows are highlighted.</summary>
internal static class Html
{
    /// <summary><paramref name="table"/> as an HTML table; rows whose index is in <paramref name="highlighted"/> are marked.</summary>
    public static string Table(Table table, IReadOnlySet<int>? highlighted = null) => TableFormatter.ToHtml(table, highlighted);

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    public static string Duration(TimeSpan? duration) => duration is { } d ? d.TotalSeconds < 60 ? $"{d.TotalSeconds:0.0} s" : $"{d.TotalMinutes:0.0} min" : "";
}
