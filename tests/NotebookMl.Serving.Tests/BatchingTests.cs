using System.Globalization;
using System.Text.RegularExpressions;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Hosting;
using NotebookMl.Training.Registration;

namespace NotebookMl.Serving.Tests;

/// <summary>Dynamic batching against a real server: concurrent requests share ONNX Runtime calls and each gets its own rows back.</summary>
public sealed class BatchingTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public async Task Concurrent_requests_are_joined_and_each_gets_its_own_rows_predictions()
    {
        var workspace = models.NewWorkspace(out var registry);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, MaxBatchSize = 64, MaxQueueDelay = TimeSpan.FromMilliseconds(20) }, _ => { });
        using var client = new ServingClient(server.Address);
        using var inProcess = registry.Load(ModelUri.Parse("models:/delays/1"));

        // 40 requests of 1 to 3 rows each, all at once.
        var requests = Enumerable.Range(0, 40).Select(i => (Start: i * 7, Rows: 1 + (i % 3))).ToArray();
        var answers = await Task.WhenAll(requests.Select(r => client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(r.Start, r.Rows)], id: $"r{r.Start}", outputs: "probability"))));

        for (var i = 0; i < requests.Length; i++)
        {
            var (status, body) = answers[i];
            Assert.Equal(200, status);
            Assert.Equal($"r{requests[i].Start}", (string?)body!["id"]);
            var output = body["outputs"]![0]!;
            Assert.Equal($"[{requests[i].Rows},1]", output["shape"]!.ToJsonString());
            var expected = inProcess.Predict(models.Rows[Enumerable.Range(requests[i].Start, requests[i].Rows)], "probability").Columns["probability"];
            var actual = output["data"]!.AsArray().Select(v => (float)v!).ToArray();
            // ONNX Runtime may vectorize a larger batch differently: the same rows agree to float rounding (1e-6), not bit for bit.
            Assert.All(Enumerable.Range(0, requests[i].Rows), r => Assert.Equal(Convert.ToSingle(expected[r], CultureInfo.InvariantCulture), actual[r], 1e-6f));
        }

        // Fewer ONNX Runtime calls than requests: some were joined (the warm-up row is not counted).
        var metrics = await client.TextAsync("/metrics");
        var calls = double.Parse(Regex.Match(metrics, "notebookml_inference_batch_rows_count\\{model=\"delays\",version=\"1\"\\} (\\S+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var rows = double.Parse(Regex.Match(metrics, "notebookml_inference_batch_rows_sum\\{model=\"delays\",version=\"1\"\\} (\\S+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(requests.Sum(r => r.Rows), rows);
        Assert.True(calls < requests.Length, $"{calls} ONNX Runtime calls for {requests.Length} requests");
    }

    [Fact]
    public async Task A_bad_request_in_a_batch_fails_alone()
    {
        var workspace = models.NewWorkspace(out _);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, MaxBatchSize = 64, MaxQueueDelay = TimeSpan.FromMilliseconds(20) }, _ => { });
        using var client = new ServingClient(server.Address);
        var good = ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)]);
        var bad = good.Replace("\"FP32\"", "\"FP64\"", StringComparison.Ordinal);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.PostAsync("/v2/models/delays/infer", i == 5 ? bad : good)));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i == 5 ? 400 : 200), answers.Select(a => a.Status));
    }
}
