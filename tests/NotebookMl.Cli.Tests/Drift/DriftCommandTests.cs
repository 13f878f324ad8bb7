using System.Globalization;
using NotebookMl.Cli.Tests.Registry;
using NotebookMl.Cli.Tests.Serving;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Drift;

/// <summary>
/// <c>notebookml drift</c> as a process: <c>compare</c> of two files as a CI gate (exit codes, the fixed JSON fields, a
/// standalone HTML report, one-line errors) and <c>model</c> against the prediction log a real <c>serve</c> wrote.
/// </summary>
public sealed class DriftCommandTests : IDisposable
{
    private static readonly string s_flights = RepoPaths.Of("datasets", "flights-3m.parquet");
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-drift-cli-").FullName;

    [Fact]
    public async Task Compare_is_a_ci_gate_with_the_fixed_json_fields_and_a_standalone_html_report()
    {
        var cli = new RegistryCli(_folder);
        const string January = "SELECT delay, distance, origin FROM source WHERE date < '2001-01-15'";
        var same = await cli.RunAsync("drift", "compare", s_flights, s_flights, "--reference-query", January, "--current-query", January, "--fail-on-drift", "--json");
        var shifted = await cli.RunAsync("drift", "compare", s_flights, s_flights, "--reference-query", January,
            "--current-query", "SELECT delay + 30 AS delay, distance * 2 AS distance, origin FROM source WHERE date >= '2001-06-01'", "--fail-on-drift", "--json", "--html", "report.html");

        Assert.True(same.ExitCode == 0, same.Output);
        Assert.True(shifted.ExitCode == 1, shifted.Output);
        var unchanged = RegistryCli.Json(same);
        var drifted = RegistryCli.Json(shifted);
        Assert.False((bool)unchanged["dataset_drift"]!);
        Assert.Equal(0.0, (double)unchanged["drift_share"]!);
        Assert.True((bool)drifted["dataset_drift"]!);
        foreach (var column in drifted["columns"]!.AsArray())
        {
            foreach (var field in new[] { "column", "method", "statistic", "p_value", "threshold", "drift" })
            {
                Assert.True(column!.AsObject().ContainsKey(field), $"{field} is missing from {column}");
            }
        }

        // More than 1,000 reference rows: auto picks the normalised Wasserstein distance and Jensen–Shannon, which have no p-value.
        var delay = drifted["columns"]!.AsArray().Single(c => (string?)c!["column"] == "delay")!;
        Assert.Equal(("wasserstein", true), ((string)delay["method"]!, (bool)delay["drift"]!));
        Assert.Null(delay["p_value"]);
        Assert.Equal("js", (string?)drifted["columns"]!.AsArray().Single(c => (string?)c!["column"] == "origin")!["method"]);
        Assert.Equal(0.0, (double)unchanged["columns"]![0]!["statistic"]!);

        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "report.html"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Single(html.Split("data-notebookml=\"plotly.js").Skip(1));
        Assert.Equal(3, html.Split("<details class=\"notebookml-drift-column\"").Length - 1);
    }

    [Fact]
    public async Task Method_and_threshold_apply_per_column_and_a_small_reference_gets_the_tests()
    {
        var cli = new RegistryCli(_folder);
        var result = await cli.RunAsync("drift", "compare", s_flights, s_flights,
            "--reference-query", "SELECT delay, distance, origin FROM source WHERE date < '2001-01-02' LIMIT 800",
            "--current-query", "SELECT delay, distance, origin FROM source WHERE date >= '2001-06-01' LIMIT 900",
            "--method", "distance=psi", "--threshold", "distance=0.5", "--json");

        Assert.True(result.ExitCode == 0, result.Output);
        var columns = RegistryCli.Json(result)["columns"]!.AsArray().ToDictionary(c => (string)c!["column"]!, c => c!);
        Assert.Equal(("ks", 0.05), ((string)columns["delay"]["method"]!, (double)columns["delay"]["threshold"]!));
        Assert.NotNull(columns["delay"]["p_value"]);
        Assert.Equal(("psi", 0.5), ((string)columns["distance"]["method"]!, (double)columns["distance"]["threshold"]!));
        Assert.Equal("chi2", (string?)columns["origin"]["method"]);
    }

    [Fact]
    public async Task A_feature_view_over_two_time_ranges_is_compared_and_a_thousand_columns_stay_a_few_kilobytes_each()
    {
        var cli = new RegistryCli(_folder);
        Directory.CreateDirectory(Path.Combine(_folder, ".notebookml"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "weather.yaml"), $$"""
            entities:
              city: {join_keys: [city]}
            feature_views:
              weather:
                entities: [city]
                source: {{RepoPaths.Of("datasets", "seattle-weather.csv")}}
                timestamp: date
                query: SELECT 'SEA' AS city, CAST(date AS TIMESTAMP) AS date, temp_max, precipitation, weather FROM source
                features: {temp_max: double, precipitation: double, weather: string}
            """);
        Assert.Equal(0, (await cli.RunAsync("features", "apply", "weather.yaml")).ExitCode);
        // Winter against summer in Seattle: the temperatures move, and the view's event time is left out unless named.
        var seasons = await cli.RunAsync("drift", "compare", "view:weather@2013-12-01..2014-03-01", "view:weather@2014-06-01..2014-09-01", "--columns", "temp_max,precipitation,weather", "--json");
        Assert.True(seasons.ExitCode == 0, seasons.Output);
        var columns = RegistryCli.Json(seasons)["columns"]!.AsArray().ToDictionary(c => (string)c!["column"]!, c => c!);
        Assert.Equal((90L, 92L), ((long)columns["temp_max"]["quality"]!["reference_rows"]!, (long)columns["temp_max"]["quality"]!["current_rows"]!));
        Assert.True((bool)columns["temp_max"]["drift"]!);
        // Computing a view takes seconds: progress says so, a side at a time (on stderr when the output is a pipe).
        Assert.Contains("reference read: 90 rows", seasons.StandardError);
        Assert.Contains("current read: 92 rows", seasons.StandardError);
        await cli.AssertBadInputAsync(["drift", "compare", "view:weather@2013-12-01..March", "view:weather"], "reference: 'view:weather@2013-12-01..March' has no usable time range");

        // 1,000 columns: the report holds statistics and histograms, not rows.
        var wide = Enumerable.Range(0, 1000).Select(i => $"c{i}").ToArray();
        var random = new Random(9);
        string Csv(double shift) => string.Join(',', wide) + "\n" + string.Concat(Enumerable.Range(0, 300).Select(_ => string.Join(',', wide.Select(_ => (random.NextDouble() + shift).ToString("0.###", CultureInfo.InvariantCulture))) + "\n"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "wide_ref.csv"), Csv(0));
        await File.WriteAllTextAsync(Path.Combine(_folder, "wide_cur.csv"), Csv(0.2));
        var report = await cli.RunAsync("drift", "compare", "wide_ref.csv", "wide_cur.csv", "--html", "wide.html");
        Assert.True(report.ExitCode == 0, report.Output);
        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "wide.html"));
        var plotly = html.IndexOf("</script>", html.IndexOf("data-notebookml=\"plotly.js", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1000, html.Split("<details class=\"notebookml-drift-column\"").Length - 1);
        Assert.InRange((html.Length - plotly) / 1000.0, 500, 4000);
    }

    [Fact]
    public async Task Bad_input_is_one_line_naming_the_file_column_or_option_with_exit_code_2()
    {
        var cli = new RegistryCli(_folder);
        var weather = RepoPaths.Of("datasets", "seattle-weather.csv");
        await cli.AssertBadInputAsync(["drift", "compare", "missing.parquet", weather], "reference: 'missing.parquet' is neither a file");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--current-query", "SELECT precipitation, weather FROM source"], "column 'temp_max' is in the reference but missing from the current data");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--columns", "wind", "--current-query", "SELECT CAST(wind AS VARCHAR) AS wind FROM source"], "column 'wind' changed type: numeric");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--columns", "rain"], "--columns: column 'rain' is not in the reference");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--method", "weather=ks"], "--method: column 'weather' is categorical; ks needs numbers");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--method", "magic"], "--method: 'magic' is not a method");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--threshold", "0"], "--threshold: 0 is not a usable threshold");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--threshold", "rain=0.2"], "--threshold: column 'rain' is not compared");
        await cli.AssertBadInputAsync(["drift", "compare", weather, weather, "--current-query", "SELEC 1"], "--current-query: DuckDB cannot run it");
    }

    [Fact]
    public async Task Drift_model_compares_the_champions_training_data_with_the_traffic_its_endpoint_logged()
    {
        var cli = new RegistryCli(_folder);
        var runId = await cli.TrainAsync();
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", runId)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "promote", "flights/1", "--to", "champion")).ExitCode);
        var quiet = await cli.RunAsync("drift", "model", "flights", "--window", "1h");
        using var server = await ServeProcess.StartAsync(_folder, "serve", "--port", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        // Traffic like the training week, then long evening flights from June.
        string[] inputs = ["distance", "origin", "hour"];
        var calmRows = await FlightTraffic.SendAsync(http, "flights", "SELECT distance, origin, hour(date) AS hour, delay > 15 AS late FROM source WHERE date < '2001-01-08' AND hash(date, delay) % 40 = 0 LIMIT 2000", inputs, "calm");
        var calm = await WaitForDriftAsync(cli, rows: 2000);
        await FlightTraffic.SendAsync(http, "flights", "SELECT distance, origin, hour(date) AS hour FROM source WHERE date >= '2001-06-01' AND distance > 1200 AND hour(date) >= 18 LIMIT 4000", inputs);
        var stormy = await WaitForDriftAsync(cli, rows: 6000);

        Assert.Equal(2, quiet.ExitCode);
        Assert.Contains("model 'flights' has no prediction log", quiet.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, calm.ExitCode);
        Assert.Equal(1, stormy.ExitCode);
        var before = RegistryCli.Json(calm)["columns"]!.AsArray().ToDictionary(c => (string)c!["column"]!, c => c!);
        var after = RegistryCli.Json(stormy)["columns"]!.AsArray().ToDictionary(c => (string)c!["column"]!, c => c!);
        // Every input and the prediction, from the model's reference statistics.
        Assert.Equal(["distance", "hour", "origin", "probability"], after.Keys.Order(StringComparer.Ordinal));
        Assert.False((bool)before["distance"]["drift"]!);
        Assert.True((bool)after["distance"]["drift"]!);
        Assert.True((bool)after["hour"]["drift"]!);
        Assert.True((double)after["distance"]["statistic"]! > 5 * (double)before["distance"]["statistic"]!);
        Assert.Equal(6000L, (long)after["distance"]["quality"]!["current_rows"]!);

        // Late labels for the first 2,000 answers: drift model then scores the model on them beside its registration metrics.
        await File.WriteAllLinesAsync(Path.Combine(_folder, "labels.csv"), ["request_id,row,label", .. calmRows.Select(r => $"{r.Id},{r.Row},{((bool)r.Values[3]! ? 1 : 0)}")]);
        var feedback = await cli.RunAsync("models", "feedback", "flights", "--labels", "labels.csv", "--json");
        Assert.True(feedback.ExitCode == 0, feedback.Output);
        Assert.Equal((2000L, 2000L), ((long)RegistryCli.Json(feedback)["saved"]!, (long)RegistryCli.Json(feedback)["matched"]!));
        var scored = RegistryCli.Json(await cli.RunAsync("drift", "model", "flights", "--window", "1h", "--json"))["performance"]!;
        Assert.Equal(("binary", "probability", 2000L), ((string)scored["task"]!, (string)scored["output"]!, (long)scored["labeled"]!));
        // The live figures are sklearn's on the logged probabilities joined to the labels; at registration, the registered test metrics.
        var (auc, logLoss) = await SklearnOnLabeledLogAsync();
        Assert.Equal(auc, (double)scored["buckets"]![0]!["metrics"]!["auc"]!, 12);
        Assert.Equal(logLoss, (double)scored["buckets"]![0]!["metrics"]!["log_loss"]!, 12);
        var registered = RegistryCli.Json(await cli.RunAsync("models", "show", "flights/1", "--json"))["metrics"]!;
        Assert.Equal((double)registered["test_auc"]!, (double)scored["at_registration"]!["auc"]!);
        Assert.Equal((double)registered["test_log_loss"]!, (double)scored["at_registration"]!["log_loss"]!);
        await cli.AssertBadInputAsync(["models", "feedback", "flights", "--labels", "labels.csv", "--label-column", "truth"], "--label-column: labels.csv has no column 'truth'");

        // Over time: hourly buckets of the same traffic, saved for notebooks; the newest bucket drifted.
        var hourly = await cli.RunAsync("drift", "model", "flights", "--every", "1h", "--since", "2h", "--method", "psi", "--fail-on-drift", "--json", "--html", "hourly.html");
        Assert.True(hourly.ExitCode == 1, hourly.Output);
        var timeline = RegistryCli.Json(hourly);
        Assert.Equal(3600.0, (double)timeline["every_seconds"]!);
        Assert.Equal(6000L, timeline["buckets"]!.AsArray().Sum(b => (long)b!["rows"]!));
        Assert.All(timeline["buckets"]!.AsArray(), b => Assert.Equal(0, b!["start"]!.GetValue<DateTimeOffset>().Minute));
        Assert.True(File.Exists((string)timeline["saved"]!));
        Assert.Contains("reference statistics) per 1h: ", await File.ReadAllTextAsync(Path.Combine(_folder, "hourly.html")), StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(_folder, ".notebookml", "monitoring", "flights"), (string)timeline["saved"]!, StringComparison.Ordinal);
        // A quiet week of hourly buckets: the empty ones fold into one row.
        var week = await cli.RunAsync("drift", "model", "flights", "--every", "1h", "--since", "7d");
        Assert.True(week.ExitCode == 0, week.Output);
        // Piped, the table is tab-separated: the folded row spans the week and counts its buckets.
        Assert.Matches(@"\n[0-9-]+ [0-9:]+ – [0-9-]+ [0-9:]+\t0 \(16\d buckets\)\t", week.StandardOutput);
        Assert.True(week.StandardOutput.Split('\n').Length < 30, week.StandardOutput);
        await cli.AssertBadInputAsync(["drift", "model", "flights", "--every", "1m", "--since", "30d"], "--every: 43,2");
        await cli.AssertBadInputAsync(["drift", "model", "flights", "--since", "2h"], "--since: give it with --every");
    }

    /// <summary>sklearn's AUC and log-loss of the logged probabilities of the labeled answers (labels.csv), joined by request id and row.</summary>
    private async Task<(double Auc, double LogLoss)> SklearnOnLabeledLogAsync()
    {
        var pairs = new List<string>();
        using (var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            duckdb.Open();
            using var join = duckdb.CreateCommand();
            join.CommandText = $"""
                SELECT l.probability, f.label
                FROM read_parquet('{Path.Combine(_folder, ".notebookml", "predictions", "flights", "*", "*.parquet")}', union_by_name = true) l
                JOIN read_csv('{Path.Combine(_folder, "labels.csv")}', header = true) f ON CAST(l.request_id AS VARCHAR) = CAST(f.request_id AS VARCHAR) AND l.row = f.row
                WHERE l.route <> 'shadow'
                """;
            using var reader = join.ExecuteReader();
            while (reader.Read())
            {
                pairs.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetDouble(0):R},{reader.GetValue(1)}"));
            }
        }

        Assert.Equal(2000, pairs.Count);
        var oracle = await ProcessRunner.RunAsync(RepoPaths.SystemPython, ["-c", """
            import sys
            from sklearn.metrics import roc_auc_score, log_loss
            rows = [line.split(",") for line in sys.stdin.read().split()]
            p, y = [float(r[0]) for r in rows], [int(r[1]) for r in rows]
            print(repr(roc_auc_score(y, p)), repr(log_loss(y, p)))
            """], TimeSpan.FromMinutes(1), standardInput: string.Join("\n", pairs));
        Assert.True(oracle.ExitCode == 0, oracle.Output);
        var figures = oracle.StandardOutput.Trim().Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (figures[0], figures[1]);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<ProcessResult> WaitForDriftAsync(RegistryCli cli, long rows)
    {
        // The endpoint writes its log every 2 s: ask until every row sent is in it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = await cli.RunAsync("drift", "model", "flights@champion", "--window", "1h", "--fail-on-drift", "--json");
            var logged = result.ExitCode is 0 or 1 ? (long)RegistryCli.Json(result)["columns"]![0]!["quality"]!["current_rows"]! : 0;
            if (logged >= rows || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(500);
        }
    }
}
