using System.Globalization;
using System.Net;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>Text made safe for HTML, and numbers, times and durations as the tracking displays show them.</summary>
internal static class Html
{
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    public static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    public static string Duration(TimeSpan? duration) => duration is { } d ? d.TotalSeconds < 60 ? $"{d.TotalSeconds:0.0} s" : $"{d.TotalMinutes:0.0} min" : "";
}
