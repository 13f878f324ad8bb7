using System.Globalization;
using NotebookMl.Serving.Hosting;
using NotebookMl.Testing;

namespace NotebookMl.Serving.Tests;

/// <summary>The prediction log against a real server: one Parquet row per input row, with what was asked and answered, read back with DuckDB.</summary>
public sealed class PredictionLogTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public async Task Every_answered_row_is_logged_with_its_inputs_outputs_version_and_latency()
    {
        var workspace = models.NewWorkspace(out _);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, LogSample = 1, LogFlushInterval = TimeSpan.FromMilliseconds(100) }, _ => { });
        using var client = new ServingClient(server.Address);
        var (_, first) = await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)], id: "a", outputs: "probability"));
        await client.PostAsync("/v2/models/delays/versions/2/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(10, 3)], id: "b"));
        await client.PostAsync("/v2/models/delays/infer", "{\"inputs\": []}");

        var rows = await WaitForRowsAsync(workspace.StateFolder, 5, "SELECT request_id, row, version, distance, origin, probability, latency_ms FROM log ORDER BY request_id, row");

        Assert.Equal(["a 0 1", "a 1 1", "b 0 2", "b 1 2", "b 2 2"], rows.Select(r => $"{r[0]} {r[1]} {r[2]}"));
        Assert.Equal(Convert.ToDouble(models.Rows["distance"][0], CultureInfo.InvariantCulture), Convert.ToDouble(rows[0][3], CultureInfo.InvariantCulture));
        Assert.Equal((string)models.Rows["origin"][0], rows[0][4]);
        Assert.Equal((float)first!["outputs"]![0]!["data"]![0]!, (float)Convert.ToDouble(rows[0][5], CultureInfo.InvariantCulture));
        Assert.All(rows, r => Assert.True(Convert.ToDouble(r[6], CultureInfo.InvariantCulture) > 0));
    }

    [Fact]
    public async Task A_log_sample_keeps_an_exact_share_of_the_requests()
    {
        var workspace = models.NewWorkspace(out _);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, LogSample = 0.25, LogFlushInterval = TimeSpan.FromMilliseconds(100) }, _ => { });
        using var client = new ServingClient(server.Address);
        for (var i = 0; i < 20; i++)
        {
            await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(i, 1)], id: $"r{i}"));
        }

        var rows = await WaitForRowsAsync(workspace.StateFolder, 5, "SELECT request_id FROM log ORDER BY request_id");

        Assert.Equal(5, rows.Count);
    }

    [Fact]
    public async Task A_log_the_disk_cannot_keep_up_with_holds_at_most_its_bound_and_counts_every_row_it_drops()
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-slow-disk-").FullName;
        var disk = new TaskCompletionSource();
        var dropped = 0L;
        var written = 0;
        // A disk that takes no write until it is let go: every flush waits on it.
        await using var log = new Predictions.PredictionLog(folder, 1, TimeSpan.FromMilliseconds(5), TimeProvider.System, _ => { }, maxRows: 1_000, (_, rows) => Interlocked.Add(ref dropped, rows))
        {
            Writer = async (buffer, _, _) =>
            {
                await disk.Task;
                Interlocked.Add(ref written, buffer.Rows);
                return buffer.Rows;
            },
        };
        var inputs = new[] { new Protocol.InferTensor("distance", "FP32", [10, 1], new float[10]), new Protocol.InferTensor("origin", "BYTES", [10, 1], Enumerable.Repeat("ORD", 10).ToArray()) };
        var outputs = new[] { new Protocol.InferTensor("probability", "FP32", [10, 1], new float[10]) };
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var held = 0L;

        for (var i = 0; i < 100_000; i++)
        {
            log.Append(new Predictions.PredictionRecord(log.Now, "delays", 1, Predictions.PredictionRoutes.Default, log.NextEntry(), new Protocol.InferRequest($"r{i}", inputs, []), outputs, 1, null));
            held = Math.Max(held, log.HeldRows);
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        disk.SetResult();
        await log.FlushAsync();

        Assert.Equal(1_000, held);
        Assert.Equal(1_000_000 - 1_000, Interlocked.Read(ref dropped));
        Assert.Equal(1_000, written);
        Assert.Equal(0, log.HeldRows);
        // A million rows went by; what stayed is the bound's worth of columns, not the rows.
        Assert.True(grown < 20 << 20, $"{grown / 1e6:0.0} MB kept");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Past_the_bound_of_rows_waiting_for_the_disk_an_endpoint_drops_rows_and_counts_them_in_its_metrics()
    {
        var workspace = models.NewWorkspace(out _);
        var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, LogBufferRows = 10, LogFlushInterval = TimeSpan.FromHours(1) }, _ => { });
        using var client = new ServingClient(server.Address);
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(i * 10, 10)], id: $"r{i}"))).Status);
        }

        var metrics = await client.TextAsync("/metrics");
        await server.DisposeAsync();
        var rows = await WaitForRowsAsync(workspace.StateFolder, 10, "SELECT request_id FROM log");

        Assert.Equal([200, 200, 200], statuses);
        Assert.Contains("notebookml_prediction_log_dropped_total{model=\"delays\"} 20", metrics);
        Assert.Equal(["r0"], rows.Select(r => (string?)r[0]).Distinct());
        Assert.Equal(10, rows.Count);
    }

    [Fact]
    public async Task Under_wrk_load_with_a_disk_that_blocks_memory_stays_flat_and_every_dropped_row_is_counted()
    {
        var workspace = models.NewWorkspace(out _);
        var disk = new TaskCompletionSource<int>();
        var server = await ServingHost.StartAsync(workspace, new ServingOptions
        {
            Port = 0, LogBufferRows = 20_000, LogFlushInterval = TimeSpan.FromMilliseconds(100), LogWriter = (_, _, _) => disk.Task,
        }, _ => { });
        using var client = new ServingClient(server.Address);
        var folder = Directory.CreateTempSubdirectory("notebookml-wrk-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "body.json"), ServingClient.InferBody(models.Rows[Enumerable.Range(0, 500)]));
        await File.WriteAllTextAsync(Path.Combine(folder, "post.lua"), """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            local f = io.open("body.json", "r"); wrk.body = f:read("*a"); f:close()
            done = function(summary, latency, requests) io.write(string.format("non2xx=%d errors=%d\n", summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout)) end
            """);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var load = await ProcessRunner.RunAsync("wrk", ["-t2", "-c8", "-d5s", "-s", "post.lua", new Uri(server.Address, "/v2/models/delays/infer").ToString()], TimeSpan.FromMinutes(1), workingDirectory: folder);
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        var metrics = await client.TextAsync("/metrics");
        disk.SetResult(0);
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);

        Assert.True(load.ExitCode == 0, load.Output);
        Assert.Contains("non2xx=0 errors=0", load.StandardOutput);
        double Sample(string name) => double.Parse(metrics.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ')[^1], CultureInfo.InvariantCulture);
        var rows = 500 * Sample("notebookml_inference_requests_total{model=\"delays\",version=\"1\",outcome=\"success\"}");
        // Exactly the bound was kept (40 requests of 500 rows); every row past it was dropped and counted.
        Assert.Equal(rows - 20_000, Sample("notebookml_prediction_log_dropped_total{model=\"delays\"}"));
        Assert.True(rows >= 500_000, $"wrk sent {rows:N0} rows");
        // Kept, they would be more than 100 bytes a row; the heap holds the bound's worth.
        Assert.True(grown < 40 << 20, $"{grown / 1e6:0.0} MB kept after {rows:N0} rows");
    }

    internal static async Task<List<object?[]>> WaitForRowsAsync(string stateFolder, int expected, string query)
    {
        var glob = Path.Combine(stateFolder, "predictions", "delays", "*", "*.parquet");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<object?[]> rows = [];
        while (DateTime.UtcNow < deadline)
        {
            // A flush writes a staging file first and moves it into place: query only once a Parquet file is there.
            if (Directory.Exists(Path.Combine(stateFolder, "predictions")) && Directory.GetFiles(Path.Combine(stateFolder, "predictions"), "*.parquet", SearchOption.AllDirectories).Length > 0)
            {
                rows = Query(glob, query);
                if (rows.Count >= expected)
                {
                    return rows;
                }
            }

            await Task.Delay(50);
        }

        return rows;
    }

    private static List<object?[]> Query(string glob, string query)
    {
        using var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duckdb.Open();
        using var command = duckdb.CreateCommand();
        command.CommandText = $"WITH log AS (SELECT * FROM read_parquet('{glob}', union_by_name = true)) {query}";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        }

        return rows;
    }
}
