using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Jupyter.Tests.Browser;

/// <summary>
/// What a person sees: the installed kernel in Jupyter Notebook (classic, Debian's jupyter-notebook)
/// on loopback, driven by headless Chromium through Selenium (tests/browser/notebook_in_browser.py).
/// Charts must draw (an SVG with traces) with no network, and the console must stay clean; then the
/// saved notebook converted by nbconvert must draw the same charts from the file alone.
/// </summary>
public sealed class NotebookInBrowserTests(InstalledKernel kernel) : IClassFixture<InstalledKernel>, IDisposable
{
    private const string Query = "SELECT distance, origin, hour(date) AS hour, delay > 15 AS late, date FROM source WHERE date < '2001-01-10'";
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-browser-").FullName;

    [Fact]
    public async Task Charts_draw_offline_displays_render_raw_and_the_kernel_answers_as_ipykernel_in_a_real_browser()
    {
        var flights = RepoPaths.Of("datasets", "flights-3m.parquet");
        var notebook = TestNotebook.Write(Path.Combine(_folder, "charts.ipynb"),
            // The session's first chart sits in a display that is then updated (as a progress display is): later charts must not need it.
            """
            var first = display(Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2 }, y: new[] { 2, 1 }, Name: "replaced"));
            first.Update("the first chart was replaced by this text");
            """,
            $"#!train --data {flights} --query \"{Query}\" --label late --trees 12 --leaves 8 --threads 2 --experiment browser --run-name small",
            $"#!train --data {flights} --query \"{Query}\" --label late --trees 24 --leaves 16 --threads 2 --experiment browser --run-name large",
            """
            using NotebookMl.Core.Tracking;
            var tracker = Tracker.ForCurrentWorkspace();
            NotebookMl.Extensions.Ml.Tracking.RunComparison.Of(tracker, tracker.ListRuns(new RunQuery { Experiment = "browser" }))
            """,
            """
            var registry = NotebookMl.Core.Registry.ModelRegistry.OpenCurrent();
            foreach (var run in tracker.ListRuns(new RunQuery { Experiment = "browser" }))
            {
                registry.Register("browser", NotebookMl.Training.Registration.ModelRegistrations.FromRun(tracker, run.Id));
            }
            registry.SetAlias("browser", "champion", 1);
            registry.SetAlias("browser", "champion", 2, "larger model");
            """,
            "#!models history browser",
            """
            // A prediction log as the endpoint writes it: three minutes of requests, a tenth of them to a canary.
            var now = DateTime.UtcNow;
            var logged = new Microsoft.Data.Analysis.DataFrame(
                new Microsoft.Data.Analysis.PrimitiveDataFrameColumn<DateTime>("time", Enumerable.Range(0, 90).Select(i => now.AddMinutes(-(i % 3)))),
                new Microsoft.Data.Analysis.Int64DataFrameColumn("version", Enumerable.Range(0, 90).Select(i => (long?)(i % 10 == 0 ? 1 : 2))),
                new Microsoft.Data.Analysis.StringDataFrameColumn("route", Enumerable.Range(0, 90).Select(i => i % 10 == 0 ? "canary" : "default")),
                new Microsoft.Data.Analysis.StringDataFrameColumn("entry", Enumerable.Range(0, 90).Select(i => $"e-{i}")),
                new Microsoft.Data.Analysis.Int64DataFrameColumn("row", Enumerable.Repeat((long?)0, 90)),
                new Microsoft.Data.Analysis.DoubleDataFrameColumn("latency_ms", Enumerable.Range(0, 90).Select(i => (double?)(0.5 + i % 7))),
                new Microsoft.Data.Analysis.StringDataFrameColumn("fallback", Enumerable.Range(0, 90).Select(i => i % 30 == 1 ? "constant (timeout)" : null)),
                new Microsoft.Data.Analysis.DoubleDataFrameColumn("probability", Enumerable.Range(0, 90).Select(i => (double?)(i / 100.0))));
            var day = System.IO.Path.Combine(registry.Workspace.StateFolder, "predictions", "browser", $"date={now:yyyy-MM-dd}");
            using (var log = new NotebookMl.Core.Data.DataFileWriter(System.IO.Path.Combine(day, "part-browser.parquet")))
            {
                log.Append(logged);
                log.Complete();
            }
            """,
            "#!models show browser",
            "#!drift model browser --every 1m --since 5m --columns probability --method psi",
            $"#!drift compare {flights} {flights} --reference-query \"SELECT delay, distance, origin FROM source WHERE date < '2001-01-08'\" --current-query \"SELECT delay + 20 AS delay, distance, origin FROM source WHERE date >= '2001-06-01' AND date < '2001-06-08'\"",
            "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 1, 3 }, Name: \"direct\")",
            "HTML(\"<b id='html-probe'>bold</b>\")",
            "display(\"<i id='raw-probe'>raw</i>\", \"text/html\");",
            "#!html\n<span id=\"cell-probe\">an html cell</span>",
            "#!markdown\n# A markdown heading",
            "var anon = new[] { new { A = 1, B = \"x\" } };\nvar frame = new Microsoft.Data.Analysis.DataFrame(new Microsoft.Data.Analysis.StringDataFrameColumn(\"city\", new[] { \"Oslo\", \"Bergen\" }), new Microsoft.Data.Analysis.Int32DataFrameColumn(\"n\", new[] { 1, 2 }));\nframe",
            "#!whos",
            "#!lsmagic",
            "throw new InvalidOperationException(\"stop here\");",
            "var never = 1;");

        var report = await DriveAsync("notebook", notebook, "run");

        var cells = report["cells"]!.AsArray();
        Assert.True(report["console_errors"]!.AsArray().Count == 0, "browser console errors:\n" + report["console_errors"]);
        BrowserPage.AssertChartsDrew(report, atLeast: 18);
        // plotly.js travels in every output that holds a chart (and only there), so none depends on another.
        Assert.Equal(report["chartOutputs"]!.GetValue<int>(), report["plotlyScripts"]!.GetValue<int>());
        Assert.Contains("the first chart was replaced by this text", Text(cells, cells[0]!["source"]!.GetValue<string>()));
        var show = Text(cells, "#!models show browser");
        Assert.Contains("Live split since", show);
        Assert.Contains("90 requests answered, fallback rate 3.33 %", show);
        // The drift report: its table, and one collapsible section per column whose histogram drew once opened.
        var drift = Text(cells, cells.Select(c => c!["source"]!.GetValue<string>()).Single(s => s.StartsWith("#!drift compare", StringComparison.Ordinal)));
        Assert.Contains("of 3 columns drifted", drift);
        Assert.Contains("delay: drift", drift);
        Assert.Equal(3, report["driftColumns"]!.GetValue<int>());
        // Drift over time: the logged probabilities per minute against the champion's training predictions.
        Assert.Contains("Drift of browser (version 2's reference statistics) per 1m: probability psi", Text(cells, "#!drift model browser --every 1m --since 5m --columns probability --method psi"));

        // Raw displays: markup rendered, not escaped.
        var probes = report["probes"]!.AsArray().Select(p => (p!["id"]!.GetValue<string>(), p["tag"]!.GetValue<string>())).ToArray();
        Assert.Contains(("html-probe", "b"), probes);
        Assert.Contains(("raw-probe", "i"), probes);
        Assert.Contains(("cell-probe", "span"), probes);
        Assert.Contains("A markdown heading", report["headings"]!.AsArray().Select(h => h!.GetValue<string>()));

        // Text columns left, numbers right, in every HTML table.
        foreach (var cell in report["cellTextAlign"]!.AsArray())
        {
            var text = cell!["text"]!.GetValue<string>();
            var align = cell["align"]!.GetValue<string>();
            if (text.Any(char.IsLetter) && !double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                Assert.True(align is "left" or "start", $"text cell '{text}' is aligned {align}");
            }
        }

        var whos = Text(cells, "#!whos");
        Assert.Contains("anonymous { int A, string B }[]", whos);
        Assert.Contains("2 rows × 2 columns", whos);
        Assert.DoesNotContain("f__AnonymousType", whos);
        var lsmagic = Text(cells, "#!lsmagic");
        foreach (var magic in new[] { "#r \"nuget:", "#i \"nuget:", "#!csharp", "#!html", "#!train", "#!features", "#!runs", "#!drift" })
        {
            Assert.Contains(magic, lsmagic);
        }

        // The cell skipped after the error shows no execution count (ipykernel's aborted reply).
        var failed = cells.Single(c => c!["source"]!.GetValue<string>().StartsWith("throw", StringComparison.Ordinal))!;
        var skipped = cells.Single(c => c!["source"]!.GetValue<string>() == "var never = 1;")!;
        Assert.NotNull(failed["prompt"]);
        Assert.Null(skipped["prompt"]);

        // The chart value was also sent as the Plotly figure, which JupyterLab and VS Code draw natively; the saved notebook keeps it as JSON.
        var saved = JsonNode.Parse(File.ReadAllText(notebook))!["cells"]!.AsArray();
        var figure = saved.SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!["data"]?["application/vnd.plotly.v1+json"]).Single(f => f is not null)!;
        Assert.Equal("scatter", figure["data"]![0]!["type"]!.GetValue<string>());
        Assert.Equal([2, 1, 3], figure["data"]![0]!["y"]!.AsArray().Select(y => y!.GetValue<int>()));

        // The notebook as saved by the browser, converted to HTML, draws the same charts from the file alone.
        var page = await BrowserPage.OpenAsync(await BrowserPage.ConvertAsync(notebook), Path.Combine(_folder, "page"));
        BrowserPage.AssertChartsDrew(page, atLeast: 18);
        // Offline, nbconvert's template fails to fetch its own CDN scripts (require.js, MathJax); nothing else may fail.
        var errors = BrowserPage.ConsoleErrors(page);
        Assert.True(errors.Length == 0, "console errors in nbconvert's page:\n" + string.Join('\n', errors));
    }

    private static string Text(JsonArray cells, string source) =>
        cells.Single(c => c!["source"]!.GetValue<string>() == source)!["text"]!.GetValue<string>();

    private async Task<JsonNode> DriveAsync(string mode, string path, string name)
    {
        var output = Path.Combine(_folder, name);
        var environment = new Dictionary<string, string>(kernel.Environment)
        {
            ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(_folder, "jupyter-config"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(_folder, "jupyter-runtime"),
        };
        var run = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [RepoPaths.Of("tests", "browser", "notebook_in_browser.py"), mode, path, output], TimeSpan.FromMinutes(8), environment, _folder);
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
