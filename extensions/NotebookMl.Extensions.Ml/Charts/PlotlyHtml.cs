using System.IO.Compression;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace NotebookMl.Extensions.Ml.Charts;

/// <summary>
/// Plotly.NET charts as notebook outputs that draw with or without internet, live or reopened from a
/// saved file: every output that holds a chart carries plotly.js itself (<see cref="Output(string)"/>), gzipped,
/// so no output depends on another that may have been updated, cleared or re-run. Also the figure as
/// <c>application/vnd.plotly.v1+json</c>, which JupyterLab and VS Code render natively.
/// </summary>
public static class PlotlyHtml
{
    /// <summary>The MIME type of a Plotly figure (data, layout, config).</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    /// <summary>Marks the script that carries plotly.js (one per output that holds charts).</summary>
    public const string LibraryMarker = "data-notebookml=\"plotly.js";

    private const string ChartClass = "class=\"notebookml-chart\"";
    private const string Queue = "notebookmlPlotlyQueue";
    private static readonly Lazy<string> s_library = new(PackedLibrary);

    /// <summary>The version of the plotly.js these charts draw with.</summary>
    public static string PlotlyJsVersion => ResourceName()["Plotly.NET.plotly-".Length..^".min.js".Length];

    /// <summary>The figure JSON (<c>data</c>, <c>layout</c>, <c>config</c>) of <paramref name="chart"/>.</summary>
    public static string FigureJson(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        figure["config"] ??= new JsonObject();
        figure["config"]!["responsive"] ??= true;
        return figure.ToJsonString();
    }

    /// <summary>One chart as a whole output: plotly.js, then the chart.</summary>
    public static string Output(GenericChart chart) => Output(Render(chart));

    /// <summary>
    /// The HTML of one notebook output: when <paramref name="html"/> holds a chart, the script that
    /// defines plotly.js goes first (about 1.5 MB; charts shown before it ran draw once it has).
    /// </summary>
    public static string Output(string html) =>
        html.Contains(ChartClass, StringComparison.Ordinal) && !html.Contains(LibraryMarker, StringComparison.Ordinal) ? s_library.Value + html : html;

    /// <summary>A <c>&lt;div&gt;</c> and the script that draws <paramref name="chart"/> into it, for a part of an <see cref="Output(string)"/>.</summary>
    public static string Render(GenericChart chart) => RenderFigure(FigureJson(chart));

    /// <summary>
    /// A <c>&lt;div&gt;</c> and the script that draws the figure <paramref name="figureJson"/> into it, once plotly.js
    /// is defined; with <paramref name="whenOpened"/>, inside a closed <c>&lt;details&gt;</c> it draws only once that
    /// is opened (a report of a thousand charts opens at once). Part of an <see cref="Output(string)"/>.
    /// </summary>
    public static string RenderFigure(string figureJson, bool whenOpened = false)
    {
        var id = "notebookml-chart-" + Guid.NewGuid().ToString("N");
        var start = whenOpened
            ? "var details = document.getElementById(\"" + id + "\").closest(\"details\"); if (!details || details.open) { when(); } else { details.addEventListener(\"toggle\", function () { if (details.open) { when(); } }); }"
            : "when();";
        return $$"""
            <div id="{{id}}" {{ChartClass}}></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figureJson.Replace("</", "<\\/", StringComparison.Ordinal)}};
              var drawn = false;
              function draw() { var div = document.getElementById("{{id}}"); if (!drawn && div) { drawn = true; window.Plotly.newPlot(div, figure.data, figure.layout || {}, figure.config || {}); } }
              function when() { if (window.Plotly) { draw(); } else { (window.{{Queue}} = window.{{Queue}} || []).push(draw); } }
              {{start}}
            })();
            </script>
            """;
    }

    /// <summary>A standalone HTML page titled <paramref name="title"/> holding <paramref name="body"/> (and plotly.js when it has charts), which opens offline.</summary>
    public static string Document(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
        <style>body { font-family: system-ui, sans-serif; margin: 1.5em; } table { border-collapse: collapse; } th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: left; } td.n { text-align: right; }</style>
        </head><body>
        {{Output(body)}}
        </body></html>
        """;

    /// <summary>
    /// plotly.js, gzipped and base64-encoded (1.5 MB instead of 3.6), in a script that unpacks it with the
    /// browser's <c>DecompressionStream</c> unless <c>window.Plotly</c> is defined or being defined already.
    /// It runs with <c>define</c>, <c>module</c> and <c>exports</c> hidden, so it defines <c>window.Plotly</c>
    /// even where require.js is loaded (the classic Notebook, nbconvert's classic template). Then it draws
    /// the charts that were waiting.
    /// </summary>
    private static string PackedLibrary()
    {
        using var packed = new MemoryStream();
        using (var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName())!)
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            stream.CopyTo(gzip);
        }

        return $$"""
            <script type="text/javascript" {{LibraryMarker}} {{PlotlyJsVersion}}">
            (function () {
              if (window.Plotly || window.notebookmlPlotlyLoading) { return; }
              window.notebookmlPlotlyLoading = true;
              var text = atob("{{Convert.ToBase64String(packed.GetBuffer(), 0, (int)packed.Length)}}");
              var bytes = new Uint8Array(text.length);
              for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
              new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function (plotly) {
                var script = document.createElement("script");
                script.text = "(function (define, module, exports) {\n" + plotly + "\n}).call(window);";
                document.head.appendChild(script);
                var waiting = window.{{Queue}} || []; window.{{Queue}} = [];
                waiting.forEach(function (draw) { try { draw(); } catch (error) { console.error("NotebookMl could not draw a chart: " + error); } });
              }, function (error) { window.notebookmlPlotlyLoading = false; console.error("NotebookMl could not unpack plotly.js: " + error); });
            })();
            </script>

            """;
    }

    private static string ResourceName() =>
        typeof(GenericChart).Assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
}
