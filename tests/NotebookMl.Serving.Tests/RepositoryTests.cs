using System.Text.Json.Nodes;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Hosting;
using NotebookMl.Testing;

namespace NotebookMl.Serving.Tests;

/// <summary>The control API, hot swap when the alias moves, a version that fails to load and /metrics, against a real server.</summary>
public sealed class RepositoryTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public async Task The_control_api_unloads_and_loads_a_model_and_the_index_shows_it()
    {
        var workspace = models.NewWorkspace(out _);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { });
        using var client = new ServingClient(server.Address);
        var body = ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)]);

        var (_, index) = await client.PostAsync("/v2/repository/index", "");
        var (unloadStatus, _) = await client.PostAsync("/v2/repository/models/delays/unload", "");
        var (unloadedStatus, unloaded) = await client.PostAsync("/v2/models/delays/infer", body);
        var (readyStatus, _) = await client.GetAsync("/v2/models/delays/ready");
        var (serverStatus, _) = await client.GetAsync("/v2/health/ready");
        var (_, afterUnload) = await client.PostAsync("/v2/repository/index", "");
        var (loadStatus, _) = await client.PostAsync("/v2/repository/models/delays/load", "");
        var (servedStatus, served) = await client.PostAsync("/v2/models/delays/infer", body);

        Assert.Equal(["delays 1 READY"], index!.AsArray().Select(e => $"{e!["name"]} {e["version"]} {e["state"]}"));
        Assert.Equal((200, 503), (unloadStatus, unloadedStatus));
        Assert.Equal("model 'delays' is unloaded; load it with POST /v2/repository/models/delays/load.", (string?)unloaded!["error"]);
        // The model is not ready; the server is (it serves what it was asked to).
        Assert.Equal((503, 200), (readyStatus, serverStatus));
        Assert.Equal(("UNAVAILABLE", "unloaded"), ((string?)afterUnload![0]!["state"], (string?)afterUnload[0]!["reason"]));
        Assert.Equal((200, 200, "1"), (loadStatus, servedStatus, (string?)served!["model_version"]));
    }

    [Fact]
    public async Task A_version_that_fails_to_load_leaves_the_serving_one_in_place_and_the_index_says_why()
    {
        var workspace = models.NewWorkspace(out var registry);
        var broken = registry.Register("delays", models.Small with { Onnx = [8, 1, 18, 4, 0, 0] });
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50) }, _ => { });
        using var client = new ServingClient(server.Address);

        registry.SetAlias("delays", "champion", broken.Version, "a broken model");
        var reason = await WaitAsync(async () => (string?)(await client.PostAsync("/v2/repository/index", "")).Body![0]!["reason"] is { Length: > 0 } r ? r : null);
        var (status, answer) = await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)]));
        var (loadStatus, load) = await client.PostAsync("/v2/repository/models/delays/load", "");

        Assert.StartsWith("version 3 failed to load: models:/delays/3: ONNX Runtime cannot load it", reason);
        Assert.EndsWith("; still serving version 1", reason);
        Assert.Equal((200, "1"), (status, (string?)answer!["model_version"]));
        Assert.Equal(400, loadStatus);
        Assert.StartsWith("model 'delays' failed to load: version 3 failed to load", (string?)load!["error"]);
    }

    [Fact]
    public async Task Promotions_during_concurrent_load_swap_the_version_without_one_failed_request()
    {
        var workspace = models.NewWorkspace(out var registry);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50) }, _ => { });
        using var client = new ServingClient(server.Address);
        var body = ServingClient.InferBody(models.Rows[Enumerable.Range(0, 4)]);
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var versions = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var answered = 0;
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var count = 0;
            while (!stop.IsCancellationRequested)
            {
                var (status, answer) = await client.PostAsync("/v2/models/delays/infer", body);
                if (status != 200)
                {
                    lock (failures) { failures.Add($"{status} {answer}"); }
                }
                else
                {
                    versions.AddOrUpdate((string)answer!["model_version"]!, 1, (_, n) => n + 1);
                }

                Interlocked.Increment(ref answered);

                count++;
            }

            return count;
        })).ToArray();

        // Between swaps, load that has answered: 40 more requests each time, counted, not timed.
        async Task AnsweredAsync(int more)
        {
            var mark = Volatile.Read(ref answered) + more;
            await WaitAsync(() => Task.FromResult(Volatile.Read(ref answered) >= mark ? "answered" : null));
        }

        foreach (var target in new[] { 2, 1, 2, 1, 2 })
        {
            await AnsweredAsync(40);
            registry.SetAlias("delays", "champion", target, "swap under load");
            await WaitAsync(async () => (string?)(await client.GetAsync("/v2/models/delays")).Body!["versions"]![0] == target.ToString() ? "swapped" : null);
        }

        await AnsweredAsync(40);
        stop.Cancel();
        var requests = (await Task.WhenAll(clients)).Sum();

        Assert.Empty(failures);
        Assert.True(requests > 100, $"only {requests} requests");
        Assert.Equal(["1", "2"], versions.Keys.Order());
        var metrics = await client.TextAsync("/metrics");
        Assert.Contains("notebookml_model_swaps_total{model=\"delays\",outcome=\"swapped\"} 5", metrics);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_that_the_prometheus_client_parses()
    {
        var workspace = models.NewWorkspace(out _);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { });
        using var client = new ServingClient(server.Address);
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(i, 5)]));
        }

        await client.PostAsync("/v2/models/delays/infer", "{}");
        var text = await client.TextAsync("/metrics");
        var parsed = await ProcessRunner.RunAsync(RepoPaths.SystemPython, ["-c", """
            import sys, json
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    if s.name.startswith("notebookml_"):
                        out[s.name + json.dumps(s.labels, sort_keys=True)] = s.value
            print(json.dumps(out))
            """], TimeSpan.FromMinutes(1), standardInput: text);

        Assert.True(parsed.ExitCode == 0, parsed.Output);
        var samples = JsonNode.Parse(parsed.StandardOutput)!.AsObject();
        Assert.Equal(3, (double)samples["notebookml_inference_requests_total{\"model\": \"delays\", \"outcome\": \"success\", \"version\": \"1\"}"]!);
        Assert.Equal(1, (double)samples["notebookml_inference_requests_total{\"model\": \"delays\", \"outcome\": \"failure\", \"version\": \"1\"}"]!);
        Assert.Equal(4, (double)samples["notebookml_inference_request_duration_seconds_count{\"model\": \"delays\", \"version\": \"1\"}"]!);
        Assert.Equal(15, (double)samples["notebookml_inference_batch_rows_sum{\"model\": \"delays\", \"version\": \"1\"}"]!);
        Assert.Equal(1, (double)samples["notebookml_model_versions_loaded{\"model\": \"delays\"}"]!);
    }

    [Fact]
    public void Options_are_checked_before_anything_is_loaded()
    {
        Assert.Equal("TokenFile: serving on 0.0.0.0, which is not a loopback address, needs a token file: callers from other machines must authenticate.",
            Assert.Throws<Core.Options.InvalidOptionException>(() => new ServingOptions { Host = "0.0.0.0" }.Validate()).Message);
        Assert.StartsWith("Host: 'example.com' is not an IP address", Assert.Throws<Core.Options.InvalidOptionException>(() => new ServingOptions { Host = "example.com" }.Validate()).Message);
        Assert.StartsWith("Alias: 'Champion' is not an alias", Assert.Throws<Core.Options.InvalidOptionException>(() => new ServingOptions { Alias = "Champion" }.Validate()).Message);
    }

    private static async Task<string> WaitAsync(Func<Task<string?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("the server did not get there within 30 s");
    }
}
