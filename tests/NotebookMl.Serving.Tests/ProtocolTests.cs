using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Hosting;
using NotebookMl.Training.Registration;

namespace NotebookMl.Serving.Tests;

/// <summary>The Open Inference Protocol v2 over HTTP against a real server on a free loopback port, with a real HTTP client.</summary>
public sealed class ProtocolTests(TrainedModels models) : IClassFixture<TrainedModels>, IAsyncLifetime
{
    private readonly List<string> _log = [];
    private ServingHost _server = null!;
    private ModelRegistry _registry = null!;
    private ServingClient _client = null!;

    public async Task InitializeAsync()
    {
        var workspace = models.NewWorkspace(out _registry);
        _server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, MaxBodyBytes = 1 << 20 }, line => { lock (_log) { _log.Add(line); } });
        _client = new ServingClient(_server.Address);
    }

    [Fact]
    public async Task Every_route_answers_as_the_protocol_says_and_predictions_equal_in_process_onnx_runtime()
    {
        var rows = models.Rows[Enumerable.Range(100, 64)];

        var (liveStatus, live) = await _client.GetAsync("/v2/health/live");
        var (readyStatus, ready) = await _client.GetAsync("/v2/health/ready");
        var (_, server) = await _client.GetAsync("/v2");
        var (_, metadata) = await _client.GetAsync("/v2/models/delays");
        var (_, second) = await _client.GetAsync("/v2/models/delays/versions/2");
        var (modelReadyStatus, modelReady) = await _client.GetAsync("/v2/models/delays/versions/2/ready");
        var (inferStatus, inferred) = await _client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(rows, id: "req-1", nested: true, "probability"));
        var (_, flat) = await _client.PostAsync("/v2/models/delays/versions/2/infer", ServingClient.InferBody(rows));

        Assert.Equal((200, true), (liveStatus, (bool)live!["live"]!));
        Assert.Equal((200, true), (readyStatus, (bool)ready!["ready"]!));
        Assert.Equal("notebookml", (string?)server!["name"]);
        Assert.Equal(["model_repository", "binary_tensor_data"], server["extensions"]!.AsArray().Select(e => (string?)e));
        Assert.Equal(("delays", "onnx_onnxv1", "1"), ((string?)metadata!["name"], (string?)metadata["platform"], (string?)metadata["versions"]![0]));
        Assert.Equal(["distance:FP32:[-1,1]", "origin:BYTES:[-1,1]", "destination:BYTES:[-1,1]"],
            metadata["inputs"]!.AsArray().Select(i => $"{i!["name"]}:{i["datatype"]}:{i["shape"]!.ToJsonString()}"));
        Assert.Equal(["score", "probability", "label"], metadata["outputs"]!.AsArray().Select(o => (string?)o!["name"]));
        Assert.Equal("2", (string?)second!["versions"]![0]);
        Assert.Equal((200, true), (modelReadyStatus, (bool)modelReady!["ready"]!));

        Assert.Equal(200, inferStatus);
        Assert.Equal(("delays", "1", "req-1"), ((string?)inferred!["model_name"], (string?)inferred["model_version"], (string?)inferred["id"]));
        var output = Assert.Single(inferred["outputs"]!.AsArray())!;
        Assert.Equal(("probability", "FP32", "[64,1]"), ((string?)output["name"], (string?)output["datatype"], output["shape"]!.ToJsonString()));
        Assert.Equal("2", (string?)flat!["model_version"]);
        Assert.Equal(["score", "probability", "label"], flat["outputs"]!.AsArray().Select(o => (string?)o!["name"]));

        // The same rows through ONNX Runtime in-process, from the same registered versions.
        using var champion = _registry.Load(ModelUri.Parse("models:/delays@champion"));
        using var large = _registry.Load(ModelUri.Parse("models:/delays/2"));
        AssertSame(champion.Predict(rows, "probability").Columns["probability"], output["data"]!.AsArray());
        AssertSame(large.Predict(rows, "probability").Columns["probability"], flat["outputs"]![1]!["data"]!.AsArray());
        Assert.Contains(_log, l => l.StartsWith("delays: serving version 1 (@champion)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_requests_get_a_json_error_naming_what_is_wrong_and_the_server_keeps_serving()
    {
        var good = ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)]);
        var wrongType = good.Replace("\"FP32\"", "\"FP64\"", StringComparison.Ordinal);
        var missing = JsonNode.Parse(good)!;
        missing["inputs"]!.AsArray().RemoveAt(2);
        var cases = new (string Path, string Body, int Status, string Error)[]
        {
            ("/v2/models/delays/infer", "{\"inputs\": [", 400, "the request body is not JSON"),
            ("/v2/models/delays/infer", wrongType, 400, "input 'distance' has datatype FP64; delays expects FP32."),
            ("/v2/models/delays/infer", good.Replace("[2,1]", "[2,2]", StringComparison.Ordinal), 400, "input 'distance' has shape [2, 2]; delays expects [-1, 1] (-1: any size)."),
            ("/v2/models/delays/infer", good.Replace("\"shape\":[2,1]", "\"shape\":[3,1]", StringComparison.Ordinal), 400, "input 'distance' has 2 elements in 'data' but its shape [3, 1] holds 3."),
            ("/v2/models/delays/infer", missing.ToJsonString(), 400, "input 'destination' is missing; delays takes distance (FP32 [-1, 1]), origin (BYTES [-1, 1]), destination (BYTES [-1, 1])."),
            ("/v2/models/delays/infer", good.Replace("\"distance\"", "\"miles\"", StringComparison.Ordinal), 400, "input 'miles' is not an input of delays"),
            ("/v2/models/delays/infer", good.Replace("\"origin\",\"datatype\":\"BYTES\",\"shape\":[2,1],\"data\":[\"", "\"origin\",\"datatype\":\"BYTES\",\"shape\":[2,1],\"data\":[1,\"", StringComparison.Ordinal), 400, "input 'origin' element 0 is 1; expected a string."),
            ("/v2/models/delays/infer", "{\"inputs\": [], \"outputs\": [{\"name\": \"odds\"}]}", 400, "input 'distance' is missing"),
            ("/v2/models/delays/infer", "[1, 2]", 400, "the request body must be a JSON object with 'inputs'."),
            ("/v2/models/nope/infer", good, 404, "model 'nope' is not served here; models: delays."),
            ("/v2/models/delays/versions/9/infer", good, 404, "model 'delays' has no version 9; its versions: 1..2."),
            ("/v2/models/delays/versions/two/infer", good, 404, "version 'two' is not a version number"),
            ("/v2/nowhere", "", 404, "no route POST /v2/nowhere"),
            ("/v2/models/delays/infer", good.Replace("{\"inputs\"", "{\"id\":7,\"inputs\"", StringComparison.Ordinal), 400, "'id' must be a string."),
        };

        foreach (var (path, body, status, error) in cases)
        {
            var (actualStatus, answer) = await _client.PostAsync(path, body);
            Assert.True(actualStatus == status, $"{path} {body}: {actualStatus} {answer}");
            Assert.StartsWith(error, (string?)answer!["error"]);
        }

        var (afterStatus, after) = await _client.PostAsync("/v2/models/delays/infer", good);
        Assert.Equal(200, afterStatus);
        Assert.Equal("1", (string?)after!["model_version"]);
        // A null id is no id, as JSON clients that serialise every field send it.
        var (nullIdStatus, nullId) = await _client.PostAsync("/v2/models/delays/infer", good.Replace("{\"inputs\"", "{\"id\":null,\"inputs\"", StringComparison.Ordinal));
        Assert.Equal(200, nullIdStatus);
        Assert.False(nullId!.AsObject().ContainsKey("id"));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_with_a_json_error_and_the_server_keeps_serving()
    {
        var (status, answer) = await _client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(0, 3)], id: new string('x', 2 << 20)));
        var (afterStatus, _) = await _client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(models.Rows[Enumerable.Range(0, 3)]));

        Assert.Equal(413, status);
        Assert.Equal("the request body is larger than the limit of 1,048,576 bytes.", (string?)answer!["error"]);
        Assert.Equal(200, afterStatus);
    }

    [Fact]
    public async Task Missing_numbers_are_null_and_reach_the_model_as_nan_as_at_training()
    {
        var body = JsonNode.Parse(ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)]))!;
        body["inputs"]![0]!["data"]![0] = null;

        var (status, answer) = await _client.PostAsync("/v2/models/delays/infer", body.ToJsonString());

        Assert.Equal(200, status);
        var probability = answer!["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "probability")!["data"]!.AsArray();
        // The same rows, the missing distance as a null of the DataFrame, through ONNX Runtime in-process: the same floats.
        var rows = models.Rows[Enumerable.Range(0, 2)].Clone();
        rows["distance"][0] = null;
        using var champion = _registry.Load(ModelUri.Parse("models:/delays@champion"));
        var expected = champion.Predict(rows, "probability").Columns["probability"];
        Assert.Equal(Enumerable.Range(0, 2).Select(i => Convert.ToSingle(expected[i], CultureInfo.InvariantCulture)), probability.Select(p => (float)p!));
    }

    private static void AssertSame(DataFrameColumn expected, JsonArray actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.Equal(Convert.ToSingle(expected[i], CultureInfo.InvariantCulture), (float)actual[i]!, 1e-6f);
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
