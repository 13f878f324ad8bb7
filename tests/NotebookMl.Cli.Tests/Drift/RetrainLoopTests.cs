using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NotebookMl.Cli.Tests.Registry;
using NotebookMl.Cli.Tests.Serving;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Drift;

/// <summary>
/// The README's loop ("Monitoring and retraining") end to end on small data, every part a real process: a champion trained
/// on January by notebooks/retrain.ipynb, served; June traffic through the endpoint; the scheduler's drift trigger fires
/// the retrain pipeline, which trains on June, promotes through its gates (the drift gate included), and the running
/// endpoint swaps the new champion in.
/// </summary>
public sealed class RetrainLoopTests : IDisposable
{
    private static readonly string s_flights = RepoPaths.Of("datasets", "flights-3m.parquet");
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-retrain-loop-").FullName;

    [Fact]
    public async Task Drift_in_served_traffic_fires_the_retrain_pipeline_and_the_endpoint_swaps_in_the_new_champion()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "notebooks"));
        File.Copy(RepoPaths.Of("notebooks", "retrain.ipynb"), Path.Combine(_folder, "notebooks", "retrain.ipynb"));
        Directory.CreateDirectory(Path.Combine(_folder, ".notebookml"));
        var cli = new RegistryCli(_folder);
        // Small and quick: every 20th flight, 20 trees; a loose AUC floor; the drift gate at 0.1.
        (string Name, string Value)[] small = [("data", s_flights), ("sampleEvery", "20"), ("trees", "20"), ("minAuc", "0.5"), ("maxAucLoss", "1"), ("maxDrift", "0.1")];
        var january = await cli.RunAsync(["run", "notebooks/retrain.ipynb", "-p", "trainFrom", "2001-01-08", "-p", "trainUntil", "2001-02-01", .. small.SelectMany(p => new[] { "-p", p.Name, p.Value })]);
        Assert.True(january.ExitCode == 0, january.Output);
        using var server = await ServeProcess.StartAsync(_folder, "serve", "--port", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        Assert.Equal("1", await ServedVersionAsync(http));

        // 20,000 June flights.
        await FlightTraffic.SendAsync(http, "flight-delays", "SELECT distance, origin, destination, hour(date), dayofweek(date) FROM source WHERE date >= '2001-06-01' AND hash(date, origin, delay) % 20 = 7 LIMIT 20000",
            ["distance", "origin", "destination", "hour", "weekday"]);
        await File.WriteAllTextAsync(Path.Combine(_folder, "pipelines.yaml"), Pipelines(small));
        using var scheduler = StartScheduler();
        JsonNode? run = null;
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (run is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            var runs = await cli.RunAsync("schedule", "history", "retrain", "--json");
            run = runs.ExitCode == 0 ? RegistryCli.Json(runs).AsArray().FirstOrDefault(r => (string?)r!["status"] is "succeeded" or "cell_failed" or "failed" or "bad_input" or "timed_out") : null;
        }

        var swapped = await WaitForAsync(async () => await ServedVersionAsync(http) == "2", TimeSpan.FromSeconds(20));
        scheduler.Kill(entireProcessTree: true);
        var champion = RegistryCli.Json(await cli.RunAsync("models", "show", "flight-delays@champion", "--json"));

        Assert.True(run is not null, "no run of the retrain pipeline within 4 minutes");
        Assert.Equal(("drift", "succeeded"), ((string)run["trigger"]!, (string)run["status"]!));
        Assert.StartsWith("drift: PSI ", (string)run["reason"]!, StringComparison.Ordinal);
        Assert.Matches(@" > max_psi 0\.03 \(models:/flight-delays/1 against 20,00\d rows served in the last 1h\)$", (string)run["reason"]!);
        Assert.Equal(2, (int)champion["version"]!);
        Assert.True(swapped, "the endpoint did not swap in version 2");
        var history = RegistryCli.Json(await cli.RunAsync("models", "history", "flight-delays", "--json")).AsArray();
        Assert.Contains(history.Last()!["gates"]!.AsArray(), g => ((string)g!["gate"]!).StartsWith("drift<=0.1", StringComparison.Ordinal) && (bool)g["passed"]!);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The retrain pipeline on a drift trigger checked every 2 s, training on June with <paramref name="parameters"/>.</summary>
    private static string Pipelines((string Name, string Value)[] parameters) =>
        "pipelines:\n  retrain:\n    notebook: notebooks/retrain.ipynb\n    trigger:\n      drift: {model: flight-delays@champion, max_psi: 0.03, window: 1h, check_every: 2s}\n" +
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

    private static async Task<string?> ServedVersionAsync(HttpClient http)
    {
        var body = """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [500]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "destination", "datatype": "BYTES", "shape": [1, 1], "data": ["SEA"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}, {"name": "weekday", "datatype": "FP32", "shape": [1, 1], "data": [3]}]}""";
        var answer = await http.PostAsync("/v2/models/flight-delays/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        return answer.StatusCode == HttpStatusCode.OK ? (string?)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["model_version"] : null;
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }
}
