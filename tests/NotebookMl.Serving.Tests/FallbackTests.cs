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
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50), InferenceTimeout = TimeSpan.FromMilliseconds(1) }, _ => { });
        using var client = new ServingClient(server.Address);
        registry.SetAlias("delays", "champion", 2, "the larger model");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((string?)(await client.GetAsync("/v2/models/delays")).Body!["versions"]![0] != "2" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        // 20,000 rows take the 40-tree model far longer than 1 ms.
        var (status, answer) = await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows, outputs: "probability"));
        var (smallStatus, small) = await client.PostAsync("/v2/models/delays/versions/1/infer", ServingClient.InferBody(models.Rows, outputs: "probability"));

        Assert.Equal(200, status);
        Assert.Equal(("previous_version (timeout)", "1"), ((string?)answer!["parameters"]!["fallback"], (string?)answer["model_version"]));
        Assert.Equal(200, smallStatus);
        Assert.Null(small!["parameters"]);
        Assert.Equal(small["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!), answer["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!));
        Assert.Contains("notebookml_fallback_total{model=\"delays\",reason=\"timeout\",rule=\"previous_version\"} 1", await client.TextAsync("/metrics"));
    }
}
