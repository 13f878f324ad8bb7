using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace NotebookMl.Extensions.Ml.Charts;

/// <summary>
/// Plotly.NET charts as notebook outputs that draw with or without internet: the plotly.js that ships
/// inside Plotly.NET is carried by the first chart a kernel session shows (so by every saved notebook
/// that has a chart), and every chart draws with it. Also the figure as
/// <c>application/vnd.plotly.v1+json</c>, which JupyterLab and VS Code render natively.
/// </summary>
public static class PlotlyHtml
{
    /// <summary>The MIME type of a Plotly figure (data, layout, config).</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    private const string Queue = "notebookmlPlotlyQueue";
    private static readonly Lazy<string> s_loader = new(Loader);
    private static int s_loaderTaken;

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

    /// <summary>
    /// A <c>&lt;div&gt;</c> and the script that draws <paramref name="chart"/> into it; the first call in
    /// this process (a kernel session) also carries plotly.js itself.
    /// </summary>
    public static string Render(GenericChart chart) => RenderFigure(FigureJson(chart));

    /// <summary>
    /// A <c>&lt;div&gt;</c> and the script that draws the figure <paramref name="figureJson"/> into it; with
    /// <paramref name="whenOpened"/>, inside a closed <c>&lt;details&gt;</c> it draws only once that is opened (a report of
    /// a thousand charts opens at once). The first call in this process also carries plotly.js itself.
    /// </summary>
    public static string RenderFigure(string figureJson, bool whenOpened = false)
    {
        var id = "notebookml-chart-" + Guid.NewGuid().ToString("N");
        var loader = Interlocked.Exchange(ref s_loaderTaken, 1) == 0 ? s_loader.Value : "";
        var start = whenOpened
            ? "var details = document.getElementById(\"" + id + "\").closest(\"details\"); if (!details || details.open) { when(); } else { details.addEventListener(\"toggle\", function () { if (details.open) { when(); } }); }"
            : "when();";
        return loader + $$"""
            <div id="{{id}}" class="notebookml-chart"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figureJson.Replace("</", "<\\/", StringComparison.Ordinal)}};
              var drawn = false;
              function draw() { if (!drawn) { drawn = true; window.Plotly.newPlot("{{id}}", figure.data, figure.layout || {}, figure.config || {}); } }
              function when() { if (window.Plotly) { draw(); } else { (window.{{Queue}} = window.{{Queue}} || []).push(draw); } }
              {{start}}
            })();
            </script>
            """;
    }

    /// <summary>A standalone HTML page titled <paramref name="title"/> holding <paramref name="body"/> and plotly.js, which opens offline.</summary>
    public static string Document(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
        <style>body { font-family: system-ui, sans-serif; margin: 1.5em; } table { border-collapse: collapse; } th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: left; } td.n { text-align: right; }</style>
        </head><body>
        {{(body.Contains("data-notebookml=\"plotly.js", StringComparison.Ordinal) ? "" : s_loader.Value)}}
        {{body}}
        </body></html>
        """;

    /// <summary>
    /// plotly.js in a script that defines <c>window.Plotly</c> even where require.js is loaded (the classic
    /// Notebook, nbconvert's classic template): its UMD header sees no <c>define</c>, <c>module</c> or
    /// <c>exports</c>. Charts shown before it (none, normally) are drawn once it has run.
    /// </summary>
    private static string Loader()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(ResourceName())!;
        using var reader = new StreamReader(stream);
        // Only a closing tag could end the script early; inside plotly.js it can only be in a string or a regex, where <\/ means the same.
        var plotly = reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return $$"""
            <script type="text/javascript" data-notebookml="plotly.js {{PlotlyJsVersion}}">
            (function (define, module, exports) {
            {{plotly}}
            }).call(window);
            (function () { var waiting = window.{{Queue}} || []; window.{{Queue}} = []; waiting.forEach(function (draw) { draw(); }); })();
            </script>

            """;
    }

    private static string ResourceName() =>
        typeof(GenericChart).Assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
}
