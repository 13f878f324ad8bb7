using System.Text.Json.Nodes;
using NotebookMl.Serving.Hosting;

namespace NotebookMl.Serving.Tests;

/// <summary>Fallbacks from notebookml.yaml against a real server: constants when nothing can be loaded, the previous version on a timeout; flagged and counted.</summary>
public sealed class FallbackTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private const string Config = """
        serving:
          models:
            delays:
              fallback:
                previous_version: true
                constant: {probability: 0.25, score: -1.1, label: 0}
        """;

    [Fact]
    public async Task With_nothing_loadable_the_constants_answer_and_the_response_says_so()
    {
        var workspace = models.NewWorkspace(out var registry);
        await File.WriteAllTextAsync(workspace.ConfigFile, Config);
        var broken = registry.Register("delays", models.Small with { Onnx = [8, 1, 18, 4, 0, 0] });
        registry.SetAlias("delays", "champion", broken.Version);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { });
        using var client = new ServingClient(server.Address);

        var (status, answer) = await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(0, 3)], outputs: ["probability", "label"]));
        var metrics = await client.TextAsync("/metrics");

        Assert.Equal(200, status);
        Assert.Equal(("constant (unavailable)", "3"), ((string?)answer!["parameters"]!["fallback"], (string?)answer["model_version"]));
        Assert.Equal([0.25f, 0.25f, 0.25f], answer["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!));
        Assert.Equal([0L, 0L, 0L], answer["outputs"]![1]!["data"]!.AsArray().Select(v => (long)v!));
        Assert.Contains("notebookml_fallback_total{model=\"delays\",reason=\"unavailable\",rule=\"constant\"} 1", metrics);
    }

    [Fact]
    public async Task Past_the_inference_timeout_the_previous_version_answers()
    {
        var workspace = models.NewWorkspace(out var registry);
        await File.WriteAllTextAsync(workspace.ConfigFile, Config);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50), InferenceTimeout = TimeSpan.FromMilliseconds(100), MaxBatchSize = 64, MaxQueueDelay = TimeSpan.FromSeconds(1) }, _ => { });
        using var client = new ServingClient(server.Address);
        registry.SetAlias("delays", "champion", 2, "the larger model");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((string?)(await client.GetAsync("/v2/models/delays")).Body!["versions"]![0] != "2" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        // Dynamic batching waits up to a second for a batch to fill: far past the 100 ms limit (the fallback runs unbatched).
        var rows = models.Rows[Enumerable.Range(0, 3)];
        var (status, answer) = await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(rows, outputs: "probability"));
        var (smallStatus, small) = await client.PostAsync("/v2/models/delays/versions/1/infer", ServingClient.InferBody(rows, outputs: "probability"));

        Assert.True(status == 200, answer?.ToJsonString());
        Assert.Equal(("previous_version (timeout)", "1"), ((string?)answer!["parameters"]!["fallback"], (string?)answer["model_version"]));
        Assert.Equal(200, smallStatus);
        Assert.Null(small!["parameters"]);
        Assert.Equal(small["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!), answer["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!));
        Assert.Contains("notebookml_fallback_total{model=\"delays\",reason=\"timeout\",rule=\"previous_version\"} 1", await client.TextAsync("/metrics"));
    }

    [Fact]
    public async Task When_the_model_throws_the_sql_rule_answers_from_a_table_and_the_constant_fills_its_gaps()
    {
        var workspace = models.NewWorkspace(out var registry);
        await File.WriteAllTextAsync(workspace.ConfigFile, """
            serving:
              models:
                failing:
                  fallback:
                    sql: "SELECT request.row, r.rate AS probability FROM request LEFT JOIN 'rates.csv' r ON request.x = r.x"
                    constant: {probability: 0.5}
            """);
        await File.WriteAllTextAsync(Path.Combine(workspace.Root, "rates.csv"), "x,rate\n1,0.9\n2,0.8\n");
        RegisterFailing(registry, "failing");
        RegisterFailing(registry, "plain");
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { });
        using var client = new ServingClient(server.Address);

        var (status, answer) = await client.PostAsync("/v2/models/failing/infer", Body(1, 7, 2));
        var (okStatus, ok) = await client.PostAsync("/v2/models/failing/infer", Body(0, 0));
        var (plainStatus, plain) = await client.PostAsync("/v2/models/plain/infer", Body(1));
        var metrics = await client.TextAsync("/metrics");

        Assert.True(status == 200, answer?.ToJsonString());
        Assert.Equal("sql (error)", (string?)answer!["parameters"]!["fallback"]);
        Assert.Equal([0.9f, 0.5f, 0.8f], answer["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!));
        Assert.Equal(200, okStatus);
        Assert.Null(ok!["parameters"]);
        Assert.Contains("notebookml_fallback_total{model=\"failing\",reason=\"error\",rule=\"sql\"} 1", metrics);
        // No fallback configured: a 503 that says so, and the server goes on serving.
        Assert.Equal(503, plainStatus);
        Assert.EndsWith("model 'plain' has no fallback (serving: models: plain: fallback: in notebookml.yaml).", (string?)plain!["error"]);
        Assert.Equal(200, (await client.PostAsync("/v2/models/plain/infer", Body(0))).Status);
    }

    [Fact]
    public async Task A_sql_rule_that_does_not_run_stops_the_server_at_start_naming_the_file_and_line()
    {
        var workspace = models.NewWorkspace(out var registry);
        await File.WriteAllTextAsync(workspace.ConfigFile, """
            serving:
              models:
                failing:
                  fallback:
                    sql: "SELECT rate AS probability FROM 'missing.csv'"
            """);
        RegisterFailing(registry, "failing");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { }));

        Assert.StartsWith($"{workspace.ConfigFile}:5: serving.models.failing.fallback.sql: ", error.Message);
        Assert.Contains("missing.csv", error.Message);
    }

    private static void RegisterFailing(Core.Registry.ModelRegistry registry, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "failing.onnx");
        var version = registry.Register(name, Training.Registration.ModelRegistrations.FromOnnx(File.ReadAllBytes(path), null, "fails when x >= 1", path));
        registry.SetAlias(name, "champion", version.Version);
    }

    private static string Body(params float[] x) =>
        $$"""{"inputs": [{"name": "x", "datatype": "FP32", "shape": [{{x.Length}}, 1], "data": [{{string.Join(", ", x.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}}]}]}""";
}
