using System.Text.Json.Nodes;
using Xunit;

namespace NotebookMl.Testing;

/// <summary>A static HTML page (nbconvert's) opened from disk in headless Chromium with the network cut off (tests/browser/notebook_in_browser.py page).</summary>
public static class BrowserPage
{
    /// <summary>Converts <paramref name="notebook"/> to HTML with nbconvert, beside it.</summary>
    public static async Task<string> ConvertAsync(string notebook)
    {
        var convert = await ProcessRunner.RunAsync(RepoPaths.SystemPython, ["-m", "nbconvert", "--to", "html", notebook], TimeSpan.FromMinutes(2));
        Assert.True(convert.ExitCode == 0, convert.Output);
        return Path.ChangeExtension(notebook, ".html");
    }

    /// <summary>The report of what the page shows: charts (drawn or not), outputs with a chart, console errors.</summary>
    public static async Task<JsonNode> OpenAsync(string page, string output)
    {
        var run = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [RepoPaths.Of("tests", "browser", "notebook_in_browser.py"), "page", page, output], TimeSpan.FromMinutes(4));
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!;
    }

    /// <summary>Asserts every chart placeholder drew (an SVG with traces), at least <paramref name="atLeast"/> of them, and every output with a chart carries plotly.js.</summary>
    public static void AssertChartsDrew(JsonNode report, int atLeast)
    {
        var charts = report["charts"]!.AsArray();
        Assert.True(charts.Count >= atLeast, $"expected at least {atLeast} charts, found {charts.Count}: {charts}");
        foreach (var chart in charts)
        {
            Assert.True(chart!["svg"]!.GetValue<int>() > 0 && chart["traces"]!.GetValue<int>() > 0, $"chart {chart["id"]} did not draw: {chart}");
        }

        Assert.Equal(0, report["chartOutputsWithoutPlotly"]!.GetValue<int>());
    }

    /// <summary>Console errors other than nbconvert's template failing to fetch its own CDN scripts (require.js, MathJax) offline.</summary>
    public static string[] ConsoleErrors(JsonNode report) =>
        report["console_errors"]!.AsArray().Select(e => e!.GetValue<string>())
            .Where(e => !e.Contains("cdnjs.cloudflare.com", StringComparison.Ordinal) && !e.Contains("unpkg.com", StringComparison.Ordinal) && !e.Contains("cdn.jsdelivr.net", StringComparison.Ordinal)).ToArray();
}
