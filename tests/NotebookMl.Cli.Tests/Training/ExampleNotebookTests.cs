using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Training;

/// <summary>The README's main job, notebooks/flight-delays.ipynb, executed by the runner (smaller parameters than its defaults).</summary>
public sealed class ExampleNotebookTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-example-").FullName;

    [Fact]
    public async Task The_flight_delays_pipeline_runs_from_features_to_a_promoted_champion_published_to_an_endpoint()
    {
        // A copy beside the repository's datasets/ and features/ (the notebook uses ../ paths), in its own workspace.
        var notebooks = Directory.CreateDirectory(Path.Combine(_folder, "notebooks")).FullName;
        File.Copy(RepoPaths.Of("notebooks", "flight-delays.ipynb"), Path.Combine(notebooks, "flight-delays.ipynb"));
        Directory.CreateDirectory(Path.Combine(_folder, "features"));
        File.Copy(RepoPaths.Of("features", "flights.yaml"), Path.Combine(_folder, "features", "flights.yaml"));
        Directory.CreateDirectory(Path.Combine(_folder, "datasets"));
        File.CreateSymbolicLink(Path.Combine(_folder, "datasets", "flights-3m.parquet"), RepoPaths.Of("datasets", "flights-3m.parquet"));

        // The serving machine: an endpoint in a workspace of its own, to which the pipeline publishes its champion.
        var servingFolder = Directory.CreateDirectory(Path.Combine(_folder, "serving")).FullName;
        Directory.CreateDirectory(Path.Combine(servingFolder, ".notebookml"));
        using var endpoint = await Serving.ServeProcess.StartAsync(servingFolder, "serve", "--port", "0");

        var run = await ProcessRunner.RunAsync(
            RepoPaths.CliExecutable,
            ["run", Path.Combine(notebooks, "flight-delays.ipynb"), "-p", "sampleEvery", "40", "-p", "trees", "30", "-p", "epochs", "1", "-p", "publishTo", endpoint.Url],
            TimeSpan.FromMinutes(8),
            new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") },
            _folder);

        Assert.True(run.ExitCode == 0, run.Output);
        // Only what the notebook printed is read: its outputs, never its sources.
        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(notebooks, "flight-delays.out.ipynb")))!["cells"]!.AsArray()
            .Where(c => (string?)c!["cell_type"] == "code").ToArray();
        var outputs = string.Concat(cells.Select(c => c!["outputs"]!.ToJsonString()));

        // The export cell: the best run's id and a parity check on a positive number of rows.
        var export = Regex.Match(PlainText(OutputsOf(cells, "var best")), @"\(run (?<run>[0-9a-f]{32})\): test AUC (?<auc>[0-9.]+); models/flight-delays.onnx, [\d,]+ bytes, parity checked on (?<rows>[\d,]+) rows");
        Assert.True(export.Success, PlainText(OutputsOf(cells, "var best")));
        Assert.InRange(int.Parse(export.Groups["rows"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture), 1, 2000);

        // #!runs list: three FINISHED runs, best first by test_auc, the best one the exported one.
        var runs = TextTable.Parse(PlainText(OutputsOf(cells, "#!runs list")));
        Assert.Equal(["lightgbm-features", "lightgbm-raw", "mlp-features"], runs.Select(r => r["name"]).Order());
        Assert.All(runs, r => Assert.Equal("FINISHED", r["status"]));
        var aucs = runs.Select(r => double.Parse(r["metrics.test_auc"], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(aucs.OrderDescending(), aucs);
        Assert.StartsWith(runs[0]["run"], export.Groups["run"].Value);
        Assert.Equal(aucs[0], double.Parse(export.Groups["auc"].Value, CultureInfo.InvariantCulture), 4);
        Assert.Matches(@"^AUC gained from the feature-store aggregates \(LightGBM\): [+-]0\.\d{4}$", PlainText(OutputsOf(cells, "display($\"AUC gained")).Trim());

        // Live progress displays (updated in place, with the MLP's loss curve) and the model's report with its charts.
        Assert.Contains("notebookml-progress", outputs);
        Assert.Contains("train_loss", outputs);
        Assert.Contains("ROC curve", outputs);
        Assert.Contains("Feature importance", outputs);

        // The exported model passes onnx.checker and names the best run.
        var check = await ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            ["-c", "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(dict((p.key, p.value) for p in m.metadata_props)['run_id'])", Path.Combine(_folder, "models", "flight-delays.onnx")],
            TimeSpan.FromMinutes(2));
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Equal(export.Groups["run"].Value, check.StandardOutput.Trim());

        // The best run registered and promoted through its gates; the history says so; the champion loads by URI and predicts.
        var promotion = PlainText(OutputsOf(cells, "using NotebookMl.Core.Registry;"));
        Assert.Contains("Promoted models:/flight-delays/1 to @champion (was unset): 3 gates passed", promotion);
        Assert.Contains("onnx reproduces recorded predictions (1e-4)", promotion);
        var card = PlainText(OutputsOf(cells, "#!models show"));
        Assert.Contains("flight-delays version 1 (models:/flight-delays/1)", card);
        Assert.Contains("Reference statistics (", card);
        var history = TextTable.Parse(PlainText(OutputsOf(cells, "#!models history")), "time");
        Assert.Equal(("@champion", "-", "1"), (history.Single()["alias"], history.Single()["from"], history.Single()["to"]));
        Assert.Contains("Which version each alias pointed at", outputs);

        // The saved notebook, converted by nbconvert and opened offline in Chromium, draws every chart: ROC, precision-recall,
        // validation AUC by trees and importance (in an output that replaced a progress display), and the alias history.
        var page = await BrowserPage.OpenAsync(await BrowserPage.ConvertAsync(Path.Combine(notebooks, "flight-delays.out.ipynb")), Path.Combine(_folder, "page"));
        BrowserPage.AssertChartsDrew(page, atLeast: 5);
        Assert.Equal(5, page["charts"]!.AsArray().Count);
        var predicted = PlainText(OutputsOf(cells, "var champion"));
        Assert.StartsWith("models:/flight-delays/1 predicts with origin, destination, distance, hour, weekday, mean_landed_delay_3h, landed_3h", predicted);
        Assert.Equal(5, Regex.Matches(predicted, @"^\d\s+0\.\d+", RegexOptions.Multiline).Count);
        var shown = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["models", "show", "flight-delays@champion", "--json"], TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") }, _folder);
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Equal(export.Groups["run"].Value, (string?)JsonNode.Parse(shown.StandardOutput)!["run_id"]);

        // Published: the endpoint registered it, passed its gates there and serves it.
        Assert.Equal($"published flight-delays to {endpoint.Url}: version 1 there, promoted to @champion; it serves version 1 for @champion", PlainText(OutputsOf(cells, "if (publishTo.Length > 0)")).Trim());
        await endpoint.ReadUntilAsync(l => l.Contains("flight-delays: serving version 1 (@champion)", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri(endpoint.Url) };
        var metadata = JsonNode.Parse(await http.GetStringAsync("/v2/models/flight-delays"))!;
        Assert.Equal("1", (string?)metadata["versions"]![0]);
        Assert.Equal(export.Groups["run"].Value, (string?)metadata["parameters"]!["run_id"]);
        Assert.Equal(0, await endpoint.StopAsync());

        // Then the loop's step 1 as a newcomer runs it: notebooks/retrain.ipynb retrains the champion's own recipe (its feature
        // views and training options), and its gates decide on the same test rows.
        File.Copy(RepoPaths.Of("notebooks", "retrain.ipynb"), Path.Combine(notebooks, "retrain.ipynb"));
        var retrain = await ProcessRunner.RunAsync(
            RepoPaths.CliExecutable, ["run", Path.Combine(notebooks, "retrain.ipynb"), "-p", "trainFrom", "2001-01-08", "-p", "trainUntil", "2001-06-01", "-p", "sampleEvery", "40"],
            TimeSpan.FromMinutes(8), new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") }, _folder);
        Assert.True(retrain.ExitCode == 0, retrain.Output);
        var retrained = JsonNode.Parse(File.ReadAllText(Path.Combine(notebooks, "retrain.out.ipynb")))!["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToArray();
        Assert.Equal("the recipe of models:/flight-delays/1: LightGbm on origin, destination, distance, hour, weekday, mean_landed_delay_3h, landed_3h; from the feature store: origin_landed:mean_landed_delay_3h, origin_landed:landed_3h",
            PlainText(OutputsOf(retrained, "using NotebookMl.Core.Features;")).Trim());
        var second = JsonNode.Parse((await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["models", "show", "flight-delays/2", "--json"], TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") }, _folder)).StandardOutput)!;
        Assert.Equal(1, (int)second["feature_views"]!["origin_landed"]!);
        Assert.Equal(["origin", "destination", "distance", "hour", "weekday", "mean_landed_delay_3h", "landed_3h"], second["signature"]!["inputs"]!.AsArray().Select(i => (string?)i!["name"]));
        Assert.Equal(("30", "lightgbm"), ((string?)second["params"]!["trees"], (string?)second["params"]!["model"]));
        // Promoted or not, the table says which gates decided and why: the champion's AUC on the same rows is one of them.
        var decided = PlainText(OutputsOf(retrained, "using Microsoft.Data.Analysis;"));
        Assert.Matches(@"retrained on 2001-01-08\.\.2001-06-01; models:/flight-delays/1 scores test AUC 0\.\d+ on the same test rows \(at most 0\.02 may be lost\)", decided);
        Assert.Matches(@"(Promoted models:/flight-delays/2 to @champion \(was version 1\): 3 gates passed|Not promoted: 1 of 3 gates failed)", decided);
        Assert.Contains("test_auc>=0.6 ", decided);
    }

    private static JsonArray OutputsOf(JsonNode?[] cells, string sourceStart) =>
        cells.Single(c => string.Concat(c!["source"]!.AsArray().Select(l => (string?)l)).StartsWith(sourceStart, StringComparison.Ordinal))!["outputs"]!.AsArray();

    private static string PlainText(JsonArray outputs) =>
        string.Concat(outputs.Select(o => o!["data"]?["text/plain"] is { } text ? (text is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)text) : (string?)o!["text"]));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
