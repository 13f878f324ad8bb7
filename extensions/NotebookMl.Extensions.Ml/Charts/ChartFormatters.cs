using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace NotebookMl.Extensions.Ml.Charts;

/// <summary>A Plotly.NET chart as a cell's value or <c>display(chart)</c>: HTML that draws offline, the Plotly figure, and a line of text.</summary>
public static class ChartFormatters
{
    private static readonly Lazy<bool> s_registered = new(() =>
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlotlyHtml.Output(chart)), "text/html");
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlotlyHtml.FigureJson(chart)), PlotlyHtml.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Describe(chart)), "text/plain");
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), "text/html", PlotlyHtml.MimeType);
        return true;
    });

    /// <summary>Registers the formatters (once per process).</summary>
    public static void Register() => _ = s_registered.Value;

    private static string Describe(GenericChart chart)
    {
        var traces = GenericChart.getTraces(chart).Count();
        return $"Plotly chart, {traces} trace{(traces == 1 ? "" : "s")} (plotly.js {PlotlyHtml.PlotlyJsVersion})";
    }
}
