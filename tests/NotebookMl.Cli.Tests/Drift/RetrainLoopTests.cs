using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Cli.Tests.Registry;
using NotebookMl.Cli.Tests.Serving;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Drift;

/// <summary>
/// The README's loop ("Monitoring and retraining") end to end on small data, every part a real process, notebooks/retrain.ipynb
/// with its own gates: a first champion trained on January, served; June traffic through the endpoint; the scheduler's drift
/// trigger fires the retrain pipeline, which retrains the champion's recipe on June and promotes it through its gates (the drift
/// gate included); the running endpoint swaps the new champion in while a load generator counts every answer that is not 200.
/// </summary>
public sealed class RetrainLoopTests : IDisposable
{
    private static readonly string s_flights = RepoPaths.Of("datasets", "flights-3m.parquet");
    private static readonly string[] s_inputs = ["distance", "origin", "destination", "hour", "weekday"];
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-retrain-loop-").FullName;

    [Fact]
    public async Task Drift_in_served_traffic_fires_the_retrain_pipeline_and_the_endpoint_swaps_in_the_new_champion_without_a_failed_request()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "notebooks"));
        File.Copy(RepoPaths.Of("notebooks", "retrain.ipynb"), Path.Combine(_folder, "notebooks", "retrain.ipynb"));
        Directory.CreateDirectory(Path.Combine(_folder, ".notebookml"));
        var cli = new RegistryCli(_folder);
        // Every 20th flight, to stay quick; everything else (the gates included) is the notebook's own. Step 1 of the README's
        // loop: the first champion, trained on January to May.
        (string Name, string Value)[] small = [("data", s_flights), ("sampleEvery", "20")];
        var first = await cli.RunAsync(["run", "notebooks/retrain.ipynb", "-p", "trainFrom", "2001-01-08", "-p", "trainUntil", "2001-06-01", .. small.SelectMany(p => new[] { "-p", p.Name, p.Value })]);
        Assert.True(first.ExitCode == 0, first.Output);
        using var server = await ServeProcess.StartAsync(_folder, "serve", "--port", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        // June traffic, spread over the whole month (whole weeks, as the notebook's 7-day drift window expects).
        const string June = "SELECT distance, origin, destination, hour(date), dayofweek(date) FROM source WHERE date >= '2001-06-01' AND hash(date, origin, delay) % 25 = 7";
        await FlightTraffic.SendAsync(http, "flight-delays", June, s_inputs);
        await File.WriteAllTextAsync(Path.Combine(_folder, "pipelines.yaml"), Pipelines(small));
        using var load = new LoadGenerator(http, await OneRowBodiesAsync());
        using var owned = new OwnedProcess(StartScheduler());
        var scheduler = owned.Process;
        var run = await WaitForAsync(async () =>
        {
            var runs = await cli.RunAsync("schedule", "history", "retrain", "--json");
            return runs.ExitCode == 0 ? RegistryCli.Json(runs).AsArray().FirstOrDefault(r => (string?)r!["status"] is not ("running" or "queued")) : null;
        }, TimeSpan.FromMinutes(4), "no finished run of the retrain pipeline within 4 minutes");
        var champion = RegistryCli.Json(await cli.RunAsync("models", "show", "flight-delays@champion", "--json"));
        var history = RegistryCli.Json(await cli.RunAsync("models", "history", "flight-delays", "--json")).AsArray();
        Assert.True((int)champion["version"]! == 2, $"the retrain run ({run.ToJsonString()}) did not promote version 2: {history.ToJsonString()}");
        await WaitForAsync(() => Task.FromResult(load.Versions.Contains("2") ? "swapped" : null), TimeSpan.FromSeconds(30), "the endpoint did not swap in version 2");
        var answered = await load.StopAfterAsync(50);
        scheduler.Kill(entireProcessTree: true);

        Assert.Equal(("drift", "succeeded"), ((string)run["trigger"]!, (string)run["status"]!));
        Assert.Matches(@"^drift: PSI [0-9.]+ on weekday > max_psi 0\.01 \(models:/flight-delays/1 against [0-9,]+ rows served in the last 1h\)$", (string)run["reason"]!);
        Assert.Equal(2, (int)champion["version"]!);
        // The notebook's own gates decided, every one passed: the AUC floor, the champion's AUC on the same test rows less 0.02,
        // the drift gate against June traffic, and the ONNX gate.
        var promotion = history.Last()!;
        Assert.Matches(@"; models:/flight-delays/1 scores test AUC 0\.\d+ on the same test rows \(at most 0\.02 may be lost\)$", (string)promotion["reason"]!);
        Assert.Equal(["drift<=0.03 (PSI)", "onnx reproduces recorded predictions (1e-4)", "test_auc>=0.6", "test_auc>=0.*"],
            promotion["gates"]!.AsArray().Select(g => (string)g!["gate"]!).Order(StringComparer.Ordinal).Select(g => g.StartsWith("test_auc>=0.", StringComparison.Ordinal) && g != "test_auc>=0.6" ? "test_auc>=0.*" : g));
        Assert.All(promotion["gates"]!.AsArray(), g => Assert.True((bool)g!["passed"]!, g!.ToJsonString()));
        // Across the swap: every request answered 200, first by version 1, then by version 2 only.
        Assert.Empty(load.Failures);
        Assert.True(answered > 50, $"{answered} requests");
        Assert.Equal(["1", "2"], load.Versions.Distinct());
        Assert.All(load.Versions.SkipWhile(v => v == "1"), v => Assert.Equal("2", v));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// pipelines.yaml's retrain-on-drift (max_psi 0.01: January–May against June measures 0.014 on weekday, drift_months.sh),
    /// checked every 2 s over the last hour, training on June with <paramref name="parameters"/>.
    /// </summary>
    private static string Pipelines((string Name, string Value)[] parameters) =>
        "pipelines:\n  retrain:\n    notebook: notebooks/retrain.ipynb\n    trigger:\n      drift: {model: flight-delays@champion, max_psi: 0.01, window: 1h, check_every: 2s}\n" +
        "    parameters:\n      trainFrom: \"2001-06-01\"\n      trainUntil: \"2001-07-01\"\n" +
        string.Concat(parameters.Select(p => $"      {p.Name}: \"{p.Value}\"\n"));

    private Process StartScheduler()
    {
        var info = new ProcessStartInfo(RepoPaths.CliExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder };
        foreach (var argument in new[] { "schedule", "run", "--config", "pipelines.yaml" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml");
        info.Environment["CI"] = "true";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>One-row requests of June flights, for the load generator: some 5,000 spread over the month, so that its traffic has June's mix too.</summary>
    private static async Task<string[]> OneRowBodiesAsync()
    {
        using var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duckdb.Open();
        var rows = Core.Predictions.PredictionLogFiles.Rows(duckdb, $"SELECT distance, origin, destination, hour(date), dayofweek(date) FROM '{s_flights}' WHERE date >= '2001-06-01' AND hash(date, delay) % 100 = 3");
        return await Task.FromResult(rows.Select(r => JsonSerializer.Serialize(new
        {
            inputs = s_inputs.Select((name, i) => r[i] is string text
                ? (object)new { name, datatype = "BYTES", shape = new[] { 1, 1 }, data = new[] { text } }
                : new { name, datatype = "FP32", shape = new[] { 1, 1 }, data = new[] { Convert.ToDouble(r[i], CultureInfo.InvariantCulture) } }),
        })).ToArray());
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string failure)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }

    /// <summary>Sends one request after another until stopped, keeping every answer's status and the version that gave it.</summary>
    private sealed class LoadGenerator : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly List<string> _versions = [];
        private readonly List<string> _failures = [];
        private int _answered;

        public LoadGenerator(HttpClient http, string[] bodies) => _loop = Task.Run(async () =>
        {
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                using var answer = await http.PostAsync("/v2/models/flight-delays/infer", new StringContent(bodies[i % bodies.Length], Encoding.UTF8, "application/json"));
                var text = await answer.Content.ReadAsStringAsync();
                lock (_versions)
                {
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        _versions.Add((string)JsonNode.Parse(text)!["model_version"]!);
                    }
                    else
                    {
                        _failures.Add($"{(int)answer.StatusCode} {text}");
                    }
                }

                Interlocked.Increment(ref _answered);
            }
        });

        public IReadOnlyList<string> Versions
        {
            get
            {
                lock (_versions)
                {
                    return [.. _versions];
                }
            }
        }

        public IReadOnlyList<string> Failures
        {
            get
            {
                lock (_versions)
                {
                    return [.. _failures];
                }
            }
        }

        /// <summary>Stops once <paramref name="more"/> more requests were answered; returns how many were, in all.</summary>
        public async Task<int> StopAfterAsync(int more)
        {
            var mark = Volatile.Read(ref _answered) + more;
            await WaitForAsync(() => Task.FromResult(Volatile.Read(ref _answered) >= mark ? "answered" : null), TimeSpan.FromMinutes(1), "the load generator stalled");
            await _stop.CancelAsync();
            await _loop;
            return Volatile.Read(ref _answered);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
