using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NotebookMl.Cli.Tests.Registry;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Serving;

/// <summary><c>notebookml serve</c> as a process: it loads the champion, answers a real HTTP client, and on SIGTERM finishes the request in flight and exits 0.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-serve-cli-").FullName;

    [Fact]
    public async Task Serve_answers_and_on_sigterm_finishes_the_request_in_flight_and_exits_cleanly()
    {
        var cli = new RegistryCli(_folder);
        var runId = await cli.TrainAsync();
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", runId)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "promote", "flights/1", "--to", "champion")).ExitCode);

        using var server = await ServeProcess.StartAsync(_folder, "serve", "--port", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var body = """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [500]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}""";

        var answer = await http.PostAsync("/v2/models/flights/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("1", (string?)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["model_version"]);

        // A request whose body is half sent when SIGTERM arrives: it still gets its answer, then the server stops.
        var gate = new TaskCompletionSource();
        var inFlight = http.PostAsync("/v2/models/flights/infer", new SlowContent(body, gate.Task));
        // The server has the request in hand once its in-flight gauge shows it.
        using (var metrics = new HttpClient { BaseAddress = new Uri(server.Url) })
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(30); !(await metrics.GetStringAsync("/metrics")).Contains("notebookml_inference_requests_in_flight{model=\"flights\"} 1", StringComparison.Ordinal); await Task.Delay(10))
            {
                Assert.True(DateTime.UtcNow < deadline, "the half-sent request never reached the server");
            }
        }

        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        Assert.Equal(0, kill.ExitCode);
        await server.ReadUntilAsync(l => l.Contains("stopping: finishing the requests in flight", StringComparison.Ordinal));
        gate.SetResult();
        var late = await inFlight;

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.True(server.Process.WaitForExit(30_000));
        Assert.Equal(0, server.Process.ExitCode);
        Assert.Contains(server.Lines, l => l.Contains("flights: serving version 1 (@champion)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_version_published_from_another_workspace_is_registered_promoted_through_its_gates_and_served()
    {
        var (source, serving, tokenFile) = await PublishingAsync();
        using var server = await ServeProcess.StartAsync(serving, "serve", "--port", "0", "--token-file", tokenFile);
        var url = server.Url;

        var published = await source.RunAsync("models", "publish", "flights/1", "--to", url, "--token-file", tokenFile, "--require", "test_auc>=0.5", "--reason", "nightly", "--json");
        var refused = await source.RunAsync("models", "publish", "flights/1", "--to", url, "--token-file", tokenFile, "--require", "test_auc>=0.99", "--json");
        var anonymous = await source.RunAsync("models", "publish", "flights/1", "--to", url);

        Assert.True(published.ExitCode == 0, published.Output);
        var answer = RegistryCli.Json(published);
        Assert.Equal((1, "champion", true), ((int)answer["version"]!, (string?)answer["alias"], (bool)answer["promoted"]!));
        Assert.Contains(answer["gates"]!.AsArray(), g => (string?)g!["gate"] == "onnx reproduces recorded predictions (1e-4)" && (bool)g["passed"]!);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal((2, false), ((int)RegistryCli.Json(refused)["version"]!, (bool)RegistryCli.Json(refused)["promoted"]!));
        Assert.Equal([false, true], RegistryCli.Json(refused)["gates"]!.AsArray().Select(g => (bool)g!["passed"]!));
        // JSON as a person reads it: no \u003E for '>'.
        Assert.Contains("\"gate\": \"test_auc>=0.99\"", refused.StandardOutput);
        Assert.Equal(2, anonymous.ExitCode);
        Assert.Contains("refused the publication (401)", anonymous.StandardError);

        // The endpoint swapped the new champion in by itself, and serves it.
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await http.GetAsync("/v2/models/flights/ready")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var body = """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [500]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}""";
        var inferred = await http.PostAsync("/v2/models/flights/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, inferred.StatusCode);
        Assert.Equal("1", (string?)JsonNode.Parse(await inferred.Content.ReadAsStringAsync())!["model_version"]);
        var history = RegistryCli.Json(await new RegistryCli(serving).RunAsync("models", "history", "flights", "--json")).AsArray();
        Assert.Equal("nightly", (string?)Assert.Single(history)!["reason"]);
        Assert.StartsWith("models:/flights/1 by ", (string?)RegistryCli.Json(await new RegistryCli(serving).RunAsync("models", "show", "flights/1", "--json"))["tags"]!["published_from"]);
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task A_publish_to_an_endpoint_serving_another_alias_moves_that_alias_and_says_what_the_endpoint_then_serves()
    {
        var (source, serving, tokenFile) = await PublishingAsync();
        using var server = await ServeProcess.StartAsync(serving, "serve", "--port", "0", "--alias", "staging", "--token-file", tokenFile);

        var published = await source.RunAsync("models", "publish", "flights/1", "--to", server.Url, "--token-file", tokenFile, "--json");
        // No waiting: the answer came once the endpoint had swapped the version in.
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var body = """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [500]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}""";
        var inferred = await http.PostAsync("/v2/models/flights/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        var insecure = await source.RunAsync("models", "publish", "flights/1", "--to", "http://serving.example:8000", "--token-file", tokenFile);
        var aliases = RegistryCli.Json(await new RegistryCli(serving).RunAsync("models", "show", "flights/1", "--json"))["aliases"]!.AsArray().Select(a => (string?)a);

        Assert.True(published.ExitCode == 0, published.Output);
        var answer = RegistryCli.Json(published);
        Assert.Equal(("staging", true, "staging", 1), ((string?)answer["alias"], (bool)answer["promoted"]!, (string?)answer["serving"]!["alias"], (int)answer["serving"]!["version"]!));
        Assert.Equal(HttpStatusCode.OK, inferred.StatusCode);
        Assert.Equal("1", (string?)JsonNode.Parse(await inferred.Content.ReadAsStringAsync())!["model_version"]);
        Assert.Equal(["staging"], aliases);
        Assert.Equal(2, insecure.ExitCode);
        Assert.Equal("notebookml: --to: http://serving.example:8000/ is plain http to a host that is not loopback, so the token would cross the network in clear; use https, or pass --allow-insecure-http.", insecure.StandardError.Trim());
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task A_canary_or_shadow_whose_inputs_the_served_requests_cannot_supply_is_refused_with_exit_code_2()
    {
        var cli = new RegistryCli(_folder);
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", await cli.TrainAsync())).ExitCode);
        var weekday = await cli.RunAsync("train", "--data", RepoPaths.Of("datasets", "flights-3m.parquet"), "--query",
            "SELECT distance, origin, hour(date) AS hour, dayofweek(date) AS weekday, delay > 15 AS late FROM source WHERE date < '2001-01-08'",
            "--label", "late", "--trees", "5", "--threads", "2", "--json");
        Assert.True(weekday.ExitCode == 0, weekday.Output);
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", (string)RegistryCli.Json(weekday)["run_id"]!)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "alias", "flights", "champion", "1")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "alias", "flights", "challenger", "2")).ExitCode);

        await cli.AssertBadInputAsync(["models", "canary", "flights", "--alias", "challenger", "--percent", "10"],
            "notebookml: models:/flights/2 cannot be the canary of models:/flights/1: requests to models:/flights/1 do not supply its input weekday (");
        await cli.AssertBadInputAsync(["models", "shadow", "flights", "--alias", "challenger"], "cannot be the shadow of models:/flights/1");
        var routes = RegistryCli.Json(await cli.RunAsync("models", "shadow", "flights", "--off", "--json"));
        Assert.Null(routes["canary"]);
        Assert.Null(routes["shadow"]);
    }

    [Fact]
    public async Task Predict_streams_a_file_in_chunks_and_writes_what_the_endpoint_answers_for_the_same_rows()
    {
        var cli = new RegistryCli(_folder);
        var runId = await cli.TrainAsync();
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", runId)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "promote", "flights/1", "--to", "champion")).ExitCode);
        const string Rows = "SELECT distance, origin, hour(date) AS hour FROM source WHERE date >= '2001-03-01' LIMIT 5000";
        var flights = RepoPaths.Of("datasets", "flights-3m.parquet");

        var csv = await cli.RunAsync("predict", "models:/flights@champion", "--input", flights, "--query", Rows, "--out", "out/predictions.csv", "--chunk-rows", "700", "--outputs", "probability", "--json");
        var parquet = await cli.RunAsync("predict", "flights/1", "--input", flights, "--query", Rows, "--out", "out/predictions.parquet", "--chunk-rows", "1000");

        Assert.True(csv.ExitCode == 0, csv.Output);
        Assert.Equal((5000, "models:/flights/1"), ((int)RegistryCli.Json(csv)["rows"]!, (string?)RegistryCli.Json(csv)["model"]));
        Assert.True(parquet.ExitCode == 0, parquet.Output);
        var lines = File.ReadAllLines(Path.Combine(_folder, "out", "predictions.csv"));
        Assert.Equal("distance,origin,hour,probability", lines[0]);
        Assert.Equal(5001, lines.Length);
        using (var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            duckdb.Open();
            using var count = duckdb.CreateCommand();
            count.CommandText = $"SELECT count(*), count(probability), count(label), count(score) FROM '{Path.Combine(_folder, "out", "predictions.parquet")}'";
            using var reader = count.ExecuteReader();
            reader.Read();
            Assert.Equal([5000L, 5000L, 5000L, 5000L], Enumerable.Range(0, 4).Select(reader.GetInt64));
        }

        // The endpoint gives the same probabilities for the same rows (a sample of 50 across the chunks).
        using var server = await ServeProcess.StartAsync(_folder, "serve", "--port", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var sample = Enumerable.Range(0, 50).Select(i => lines[1 + i * 97].Split(',')).ToArray();
        var body = new JsonObject
        {
            ["inputs"] = new JsonArray(
                Input("distance", "FP32", sample.Select(r => (JsonNode?)float.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture))),
                Input("origin", "BYTES", sample.Select(r => (JsonNode?)r[1])),
                Input("hour", "FP32", sample.Select(r => (JsonNode?)float.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)))),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "probability" }),
        };
        var answer = await http.PostAsync("/v2/models/flights/infer", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var served = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!).ToArray();
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(float.Parse(sample[i][3], System.Globalization.CultureInfo.InvariantCulture), served[i], 1e-6f));
        Assert.Equal(0, await server.StopAsync());

        // Bad input: one line, exit 2, and no partial file left behind.
        var badOut = await cli.RunAsync("predict", "flights/1", "--input", flights, "--query", Rows, "--out", "out/predictions.xlsx");
        var missing = await cli.RunAsync("predict", "flights/1", "--input", flights, "--query", "SELECT distance FROM source LIMIT 10", "--out", "out/p.csv");
        Assert.Equal(2, badOut.ExitCode);
        Assert.StartsWith("notebookml: --out: ", badOut.StandardError);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("needs the input 'origin' (BYTES), which is not a column", missing.StandardError);
        Assert.False(File.Exists(Path.Combine(_folder, "out", "p.csv")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder, "out"), "*.partial"));
    }

    [Fact]
    public async Task Prediction_log_rows_written_before_a_kill_9_are_readable_with_duckdb()
    {
        var cli = new RegistryCli(_folder);
        var runId = await cli.TrainAsync();
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", runId)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "promote", "flights/1", "--to", "champion")).ExitCode);
        using var server = await ServeProcess.StartAsync(_folder, "serve", "--port", "0", "--log-sample", "1");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        for (var i = 0; i < 4; i++)
        {
            var body = $$"""{"id": "r{{i}}", "inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [{{500 + i}}]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}""";
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v2/models/flights/infer", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode);
        }

        // The log is written every 2 s: wait for the rows, then kill the server without warning.
        var glob = Path.Combine(_folder, ".notebookml", "predictions", "flights", "*", "*.parquet");
        long Count()
        {
            // A flush writes a staging file first and moves it into place: count only once a Parquet file is there.
            var folder = Path.Combine(_folder, ".notebookml", "predictions");
            if (!Directory.Exists(folder) || Directory.GetFiles(folder, "*.parquet", SearchOption.AllDirectories).Length == 0)
            {
                return 0;
            }

            using var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
            duckdb.Open();
            using var count = duckdb.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM read_parquet('{glob}', union_by_name = true) WHERE distance BETWEEN 500 AND 503";
            return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Count() < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        server.Process.Kill();
        Assert.True(server.Process.WaitForExit(10_000));
        Assert.Equal(4, Count());
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder, ".notebookml", "predictions"), "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Canary_and_shadow_set_from_the_shell_reach_a_running_server_and_the_shadow_report_reads_the_log()
    {
        var cli = new RegistryCli(_folder);
        var runId = await cli.TrainAsync();
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", runId)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--onnx", "late.onnx")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "alias", "flights", "champion", "1")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "alias", "flights", "challenger", "2")).ExitCode);
        using var server = await ServeProcess.StartAsync(_folder, "serve", "--port", "0");
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        var canary = await cli.RunAsync("models", "canary", "flights", "--alias", "challenger", "--percent", "50", "--json");
        var shadow = await cli.RunAsync("models", "shadow", "flights", "--alias", "challenger", "--json");
        Assert.True(canary.ExitCode == 0 && shadow.ExitCode == 0, canary.Output + shadow.Output);
        Assert.Equal((2, 50.0), (RegistryCli.Json(canary)["canary"]!["version"]!.GetValue<int>(), RegistryCli.Json(canary)["canary"]!["percent"]!.GetValue<double>()));
        await server.ReadUntilAsync(l => l.Contains("shadow @challenger", StringComparison.Ordinal));
        var metadata = JsonNode.Parse(await http.GetStringAsync("/v2/models/flights"))!;
        var versions = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var body = $$"""{"id": "r{{i}}", "inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [{{500 + i}}]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}""";
            var answer = await http.PostAsync("/v2/models/flights/infer", new StringContent(body, Encoding.UTF8, "application/json"));
            versions.Add((string)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["model_version"]!);
        }

        var off = await cli.RunAsync("models", "canary", "flights", "--off", "--json");
        await server.ReadUntilAsync(l => l.Contains("canary off", StringComparison.Ordinal));
        JsonNode report = new JsonObject();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (report["pairs"]?.GetValue<long>() ?? 0) < 1)
        {
            await Task.Delay(250);
            report = RegistryCli.Json(await cli.RunAsync("models", "shadow-report", "flights", "--since", "1h", "--json"));
        }

        Assert.Equal("challenger", (string?)metadata["parameters"]!["shadow"]!["alias"]);
        Assert.Equal(50.0, (double)metadata["parameters"]!["canary"]!["percent"]!);
        Assert.Contains("1", versions);
        Assert.Contains("2", versions);
        Assert.Null(RegistryCli.Json(off)["canary"]);
        Assert.Equal([1], report["served_versions"]!.AsArray().Select(v => (int)v!));
        Assert.Equal([2], report["shadow_versions"]!.AsArray().Select(v => (int)v!));
        // The same model registered twice: the shadow agrees on every label.
        Assert.Equal(1.0, (double)report["outputs"]!.AsArray().Single(o => (string?)o!["kind"] == "label")!["agreement"]!);

        // models show NAME: the card of the version it serves (@champion), and the live split from the prediction log.
        var show = RegistryCli.Json(await cli.RunAsync("models", "show", "flights", "--endpoint", server.Url, "--json"));
        var routes = show["serving"]!["routes"]!.AsArray().ToDictionary(r => ((string)r!["route"]!, (int)r["version"]!), r => (long)r!["requests"]!);
        Assert.Equal(1, (int)show["version"]!);
        Assert.Equal(40L, (long)show["serving"]!["answered"]!);
        Assert.Equal(40L, routes[("default", 1)] + routes[("canary", 2)]);
        Assert.Equal(routes[("default", 1)], routes[("shadow", 2)]);
        Assert.Equal(0.0, (double)show["serving"]!["fallback_rate"]!);
        Assert.Equal("challenger", (string?)show["serving"]!["traffic"]!["shadow"]!["alias"]);
        // --endpoint: what the running server says, from its metadata and /metrics.
        var endpoint = show["serving"]!["endpoint"]!;
        Assert.Null((string?)endpoint["error"]);
        Assert.Equal("1", (string?)endpoint["serving_version"]);
        Assert.Equal("challenger", (string?)endpoint["shadow"]!["alias"]);
        Assert.Null(endpoint["canary"]);
        var requests = endpoint["counters"]!.AsArray().Where(c => (string?)c!["name"] == "notebookml_inference_requests_total" && (string?)c["labels"]!["outcome"] == "success").Sum(c => (double)c!["value"]!);
        Assert.Equal(40.0, requests);
        Assert.Contains(endpoint["counters"]!.AsArray(), c => (string?)c!["name"] == "notebookml_shadow_requests_total" && (string?)c["labels"]!["outcome"] == "mirrored");
    }

    [Fact]
    public async Task Bad_traffic_routes_are_one_line_with_exit_code_2_and_change_nothing()
    {
        var cli = new RegistryCli(_folder);
        Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", await cli.TrainAsync())).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("models", "alias", "flights", "challenger", "1")).ExitCode);

        await cli.AssertBadInputAsync(["models", "canary", "flights", "--alias", "challenger", "--percent", "150"], "--percent: 150 is not a share of traffic; expected more than 0 and at most 100.");
        await cli.AssertBadInputAsync(["models", "canary", "flights", "--alias", "nope", "--percent", "10"], "model 'flights' has no alias 'nope'; its aliases: @challenger.");
        await cli.AssertBadInputAsync(["models", "canary", "nope", "--alias", "challenger", "--percent", "10"], "'nope'");
        await cli.AssertBadInputAsync(["models", "shadow", "flights"], "--alias: give the alias that shadows (or --off).");
        await cli.AssertBadInputAsync(["models", "shadow-report", "flights", "--since", "yesterday"], "--since: 'yesterday' is not a duration");
        var unchanged = RegistryCli.Json(await cli.RunAsync("models", "shadow", "flights", "--off", "--json"));
        Assert.Null(unchanged["canary"]);
        Assert.Null(unchanged["shadow"]);
    }

    private static JsonObject Input(string name, string datatype, IEnumerable<JsonNode?> data)
    {
        var values = new JsonArray(data.ToArray());
        return new JsonObject { ["name"] = name, ["datatype"] = datatype, ["shape"] = new JsonArray(values.Count, 1), ["data"] = values };
    }

    [Theory]
    [InlineData(new[] { "serve", "--host", "0.0.0.0" }, "notebookml: --token-file: serving on 0.0.0.0, which is not a loopback address, needs a token file: callers from other machines must authenticate.")]
    [InlineData(new[] { "serve", "--models", "nope", "--port", "0" }, "notebookml: --models: no registered model 'nope'; models: none.")]
    [InlineData(new[] { "serve", "--port", "70000" }, "notebookml: --port: 70000 is not a port; expected 0 to 65535.")]
    public async Task Bad_options_are_one_line_with_exit_code_2(string[] arguments, string expected)
    {
        Directory.CreateDirectory(Path.Combine(_folder, ".notebookml"));

        var result = await new RegistryCli(_folder).RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.StandardError.Trim());
    }

    /// <summary>A CI workspace with flights/1 registered, an empty serving workspace, and the endpoint's token file.</summary>
    private async Task<(RegistryCli Source, string Serving, string TokenFile)> PublishingAsync()
    {
        var source = new RegistryCli(Path.Combine(_folder, "ci"));
        Directory.CreateDirectory(Path.Combine(_folder, "ci"));
        Assert.Equal(0, (await source.RunAsync("models", "register", "flights", "--run", await source.TrainAsync())).ExitCode);
        var serving = Directory.CreateDirectory(Path.Combine(_folder, "serving")).FullName;
        Directory.CreateDirectory(Path.Combine(serving, ".notebookml"));
        var tokenFile = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(tokenFile, "publish-token-0123456789\n");
        return (source, serving, tokenFile);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Sends the first half of the body, waits for the gate, then the rest.</summary>
    private sealed class SlowContent(string body, Task gate) : HttpContent
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(body);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_bytes.AsMemory(0, _bytes.Length / 2));
            await stream.FlushAsync();
            await gate;
            await stream.WriteAsync(_bytes.AsMemory(_bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
