using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NotebookMl.Serving.Hosting;

namespace NotebookMl.Serving.Tests;

/// <summary>Triton's binary tensor extension over REST: binary inputs after the JSON header, binary outputs back, the same numbers as JSON.</summary>
public sealed class BinaryTensorTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public async Task Binary_inputs_and_outputs_give_the_same_predictions_as_json()
    {
        var workspace = models.NewWorkspace(out _);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { });
        using var client = new ServingClient(server.Address);
        using var http = new HttpClient { BaseAddress = server.Address };
        var rows = models.Rows[Enumerable.Range(300, 10)];
        var (_, json) = await client.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(rows, outputs: "probability"));
        var expected = json!["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!).ToArray();

        var distance = Enumerable.Range(0, 10).SelectMany(r => BitConverter.GetBytes(Convert.ToSingle(rows["distance"][r], CultureInfo.InvariantCulture))).ToArray();
        byte[] Text(string column) => Enumerable.Range(0, 10).SelectMany(r => BitConverter.GetBytes(Encoding.UTF8.GetByteCount((string)rows[column][r])).Concat(Encoding.UTF8.GetBytes((string)rows[column][r]))).ToArray();
        var origin = Text("origin");
        var destination = Text("destination");
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(
                Binary("distance", "FP32", distance.Length), Binary("origin", "BYTES", origin.Length), Binary("destination", "BYTES", destination.Length)),
            ["outputs"] = new JsonArray(new JsonObject { ["name"] = "probability", ["parameters"] = new JsonObject { ["binary_data"] = true } }, new JsonObject { ["name"] = "label" }),
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var content = new ByteArrayContent([.. headerBytes, .. distance, .. origin, .. destination]);
        content.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(CultureInfo.InvariantCulture));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");

        using var response = await http.PostAsync("/v2/models/delays/infer", content);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        var answer = JsonNode.Parse(body.AsSpan(0, jsonLength))!;
        var probability = answer["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "probability")!;
        Assert.Null(probability["data"]);
        Assert.Equal(40, (int)probability["parameters"]!["binary_data_size"]!);
        Assert.Equal(10, answer["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "label")!["data"]!.AsArray().Count);
        Assert.Equal(jsonLength + 40, body.Length);
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(i => BinaryPrimitives.ReadSingleLittleEndian(body.AsSpan(jsonLength + i * 4))));
        var (_, server2) = await client.GetAsync("/v2");
        Assert.Contains("binary_tensor_data", server2!["extensions"]!.AsArray().Select(e => (string?)e));

        // Binary sizes that do not add up are a 400 naming the input.
        using var short_ = new ByteArrayContent([.. headerBytes, .. distance]);
        short_.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(CultureInfo.InvariantCulture));
        using var refused = await http.PostAsync("/v2/models/delays/infer", short_);
        Assert.Equal(400, (int)refused.StatusCode);
        Assert.StartsWith("input 'origin' has binary_data_size", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]);
    }

    private static JsonObject Binary(string name, string datatype, int bytes) =>
        new() { ["name"] = name, ["datatype"] = datatype, ["shape"] = new JsonArray(10, 1), ["parameters"] = new JsonObject { ["binary_data_size"] = bytes } };
}
