using System.Text.Json.Nodes;
using NotebookMl.Core.Predictions;
using NotebookMl.Serving.Hosting;

namespace NotebookMl.Serving.Tests;

/// <summary>Canary and shadow set in the registry while a real server runs: followed without a restart, shown in the metadata, logged and compared.</summary>
public sealed class TrafficTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public async Task A_canary_takes_its_share_of_2000_requests_and_switches_off_without_a_restart()
    {
        var workspace = models.NewWorkspace(out var registry);
        registry.SetAlias("delays", "challenger", 2);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50) }, _ => { });
        using var client = new ServingClient(server.Address);
        registry.SetCanary("delays", "challenger", 10);
        var metadata = await WaitForAsync(client, m => m["parameters"]!["canary"] is JsonObject);
        var body = ServingClient.InferBody(models.Rows[Enumerable.Range(0, 1)], outputs: "probability");

        var versions = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            versions.Add((string)(await client.PostAsync("/v2/models/delays/infer", body)).Body!["model_version"]!);
        }

        registry.ClearCanary("delays");
        await WaitForAsync(client, m => m["parameters"]!["canary"] is null);
        var after = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            after.Add((string)(await client.PostAsync("/v2/models/delays/infer", body)).Body!["model_version"]!);
        }

        Assert.Equal(("challenger", 2, 10.0), ((string?)metadata["parameters"]!["canary"]!["alias"], (int)metadata["parameters"]!["canary"]!["version"]!, (double)metadata["parameters"]!["canary"]!["percent"]!));
        Assert.Equal("1", (string?)metadata["versions"]![0]);
        // Binomial(2000, 0.1): mean 200, standard deviation 13.4; 140..260 is ±4.5 standard deviations.
        Assert.InRange(versions.Count(v => v == "2"), 140, 260);
        Assert.Equal(2000, versions.Count(v => v is "1" or "2"));
        Assert.All(after, v => Assert.Equal("1", v));
    }

    [Fact]
    public async Task A_shadow_never_changes_the_answer_and_its_outputs_are_logged_beside_the_served_ones()
    {
        var workspace = models.NewWorkspace(out var registry);
        registry.SetAlias("delays", "challenger", 2);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50), LogFlushInterval = TimeSpan.FromMilliseconds(100) }, _ => { });
        using var client = new ServingClient(server.Address);
        registry.SetShadow("delays", "challenger");
        var metadata = await WaitForAsync(client, m => m["parameters"]!["shadow"] is JsonObject);

        // The same rows sent to each version by number: what the report must find, exactly.
        var pairs = new List<(double ServedProbability, double ShadowProbability, long ServedLabel, long ShadowLabel)>();
        static double[] Column(JsonNode answer, string output) =>
            answer["outputs"]!.AsArray().Single(o => (string?)o!["name"] == output)!["data"]!.AsArray().Select(v => (double)(float)v!).ToArray();
        for (var i = 0; i < 30; i++)
        {
            var body = ServingClient.InferBody(models.Rows[Enumerable.Range(i * 2, 2)], id: $"r{i}");
            var (_, shadowed) = await client.PostAsync("/v2/models/delays/infer", body);
            var (_, direct) = await client.PostAsync("/v2/models/delays/versions/1/infer", body);
            var (_, challenger) = await client.PostAsync("/v2/models/delays/versions/2/infer", body);
            Assert.Equal("1", (string?)shadowed!["model_version"]);
            Assert.Equal(direct!["outputs"]!.ToJsonString(), shadowed["outputs"]!.ToJsonString());
            var (p1, p2, l1, l2) = (Column(direct, "probability"), Column(challenger!, "probability"), Column(direct, "label"), Column(challenger!, "label"));
            pairs.AddRange(Enumerable.Range(0, 2).Select(r => (p1[r], p2[r], (long)l1[r], (long)l2[r])));
        }

        var rows = await PredictionLogTests.WaitForRowsAsync(workspace.StateFolder, 60, "SELECT request_id FROM log WHERE route = 'shadow'");
        var report = ShadowReport.Compute(workspace, "delays", ["label", "probability"]);
        var metrics = await client.TextAsync("/metrics");

        Assert.Equal(("challenger", 2), ((string?)metadata["parameters"]!["shadow"]!["alias"], (int)metadata["parameters"]!["shadow"]!["version"]!));
        Assert.Equal(60, rows.Count);
        Assert.Equal(60L, report.Pairs);
        Assert.Equal([1], report.ServedVersions);
        Assert.Equal([2], report.ShadowVersions);
        var label = report.Outputs.Single(o => o.Column == "label");
        var probability = report.Outputs.Single(o => o.Column == "probability");
        Assert.Equal("label", label.Kind);
        Assert.Equal(pairs.Average(p => p.ServedLabel == p.ShadowLabel ? 1.0 : 0.0), label.Agreement!.Value, 12);
        Assert.Equal("score", probability.Kind);
        // Two different models (10 and 40 trees): the report's differences are those of the same rows sent to each.
        Assert.Equal(pairs.Average(p => Math.Abs(p.ServedProbability - p.ShadowProbability)), probability.MeanAbsoluteDifference!.Value, 12);
        Assert.Equal(pairs.Max(p => Math.Abs(p.ServedProbability - p.ShadowProbability)), probability.MaxAbsoluteDifference!.Value, 12);
        Assert.True(probability.MeanAbsoluteDifference > 0);
        Assert.Equal((30L, 30L), (report.Served.Count, report.Shadow.Count));
        Assert.Contains("notebookml_shadow_requests_total{model=\"delays\",version=\"2\",outcome=\"mirrored\"} 30", metrics);
    }

    [Fact]
    public async Task A_canary_whose_version_cannot_load_leaves_every_request_to_the_default()
    {
        var workspace = models.NewWorkspace(out var registry);
        var broken = registry.Register("delays", models.Small with { Onnx = [8, 1, 18, 4, 0, 0] });
        registry.SetAlias("delays", "challenger", broken.Version);
        var lines = new List<string>();
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, PollInterval = TimeSpan.FromMilliseconds(50) }, line => { lock (lines) { lines.Add(line); } });
        using var client = new ServingClient(server.Address);
        registry.SetCanary("delays", "challenger", 100);
        await WaitForAsync(client, m => m["parameters"]!["canary"] is JsonObject);
        var body = ServingClient.InferBody(models.Rows[Enumerable.Range(0, 1)], outputs: "probability");

        var answers = new List<(int Status, string? Version)>();
        for (var i = 0; i < 50; i++)
        {
            var (status, answer) = await client.PostAsync("/v2/models/delays/infer", body);
            answers.Add((status, (string?)answer!["model_version"]));
        }

        Assert.All(answers, a => Assert.Equal((200, "1"), a));
        lock (lines)
        {
            Assert.Single(lines, l => l.Contains($"canary version {broken.Version} cannot serve", StringComparison.Ordinal));
        }
    }

    private static async Task<JsonNode> WaitForAsync(ServingClient client, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var metadata = (await client.GetAsync("/v2/models/delays")).Body!;
            if (condition(metadata))
            {
                return metadata;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the endpoint did not get there within 20 s; it says: {metadata.ToJsonString()}");
            }

            await Task.Delay(25);
        }
    }
}
