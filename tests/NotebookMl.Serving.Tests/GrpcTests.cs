using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Analysis;
using NotebookMl.Serving.Grpc.V2;
using NotebookMl.Serving.Hosting;

namespace NotebookMl.Serving.Tests;

/// <summary>KServe's GRPCInferenceService against a real server, with the real .NET gRPC client over HTTP/2: the same answers as REST.</summary>
public sealed class GrpcTests(TrainedModels models) : IClassFixture<TrainedModels>, IAsyncLifetime
{
    private ServingHost _server = null!;
    private GrpcChannel _channel = null!;
    private GRPCInferenceService.GRPCInferenceServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        var workspace = models.NewWorkspace(out _);
        _server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, GrpcPort = 0 }, _ => { });
        _channel = GrpcChannel.ForAddress(_server.GrpcAddress!);
        _client = new GRPCInferenceService.GRPCInferenceServiceClient(_channel);
    }

    [Fact]
    public async Task Health_metadata_and_inference_answer_as_rest_does()
    {
        var rows = models.Rows[Enumerable.Range(200, 16)];

        var live = await _client.ServerLiveAsync(new ServerLiveRequest());
        var ready = await _client.ServerReadyAsync(new ServerReadyRequest());
        var server = await _client.ServerMetadataAsync(new ServerMetadataRequest());
        var modelReady = await _client.ModelReadyAsync(new ModelReadyRequest { Name = "delays", Version = "2" });
        var metadata = await _client.ModelMetadataAsync(new ModelMetadataRequest { Name = "delays" });
        var typed = await _client.ModelInferAsync(Request(rows, raw: false, id: "grpc-1"));
        var raw = await _client.ModelInferAsync(Request(rows, raw: true));
        using var rest = new ServingClient(_server.Address);
        var (_, restAnswer) = await rest.PostAsync("/v2/models/delays/infer", ServingClient.InferBody(rows, outputs: "probability"));

        Assert.True(live.Live && ready.Ready && modelReady.Ready);
        Assert.Equal(("notebookml", "model_repository"), (server.Name, server.Extensions.Single()));
        Assert.Equal(("delays", "onnx_onnxv1", "1"), (metadata.Name, metadata.Platform, metadata.Versions.Single()));
        Assert.Equal(["distance FP32 -1,1", "origin BYTES -1,1", "destination BYTES -1,1"], metadata.Inputs.Select(i => $"{i.Name} {i.Datatype} {string.Join(",", i.Shape)}"));
        Assert.Equal(("delays", "1", "grpc-1"), (typed.ModelName, typed.ModelVersion, typed.Id));
        var probability = Assert.Single(typed.Outputs);
        Assert.Equal(("probability", "FP32", "16,1"), (probability.Name, probability.Datatype, string.Join(",", probability.Shape)));
        var expected = restAnswer!["outputs"]![0]!["data"]!.AsArray().Select(v => (float)v!).ToArray();
        Assert.Equal(expected, probability.Contents.Fp32Contents);
        var rawProbability = raw.RawOutputContents.Single().ToByteArray();
        Assert.Equal(expected, Enumerable.Range(0, 16).Select(i => BinaryPrimitives.ReadSingleLittleEndian(rawProbability.AsSpan(i * 4))));
    }

    [Fact]
    public async Task Bad_requests_are_grpc_statuses_with_the_same_message_as_rest()
    {
        var rows = models.Rows[Enumerable.Range(0, 2)];
        var wrongType = Request(rows, raw: false);
        wrongType.Inputs[0].Datatype = "FP64";
        wrongType.Inputs[0].Contents = new InferTensorContents { Fp64Contents = { 1, 2 } };

        var unknown = await Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(new ModelInferRequest { ModelName = "nope" }).ResponseAsync);
        var badType = await Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(wrongType).ResponseAsync);
        var noVersion = await Assert.ThrowsAsync<RpcException>(() => _client.ModelMetadataAsync(new ModelMetadataRequest { Name = "delays", Version = "7" }).ResponseAsync);
        var after = await _client.ModelInferAsync(Request(rows, raw: false));

        Assert.Equal((StatusCode.NotFound, "model 'nope' is not served here; models: delays."), (unknown.StatusCode, unknown.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "input 'distance' has datatype FP64; delays expects FP32."), (badType.StatusCode, badType.Status.Detail));
        Assert.Equal(StatusCode.NotFound, noVersion.StatusCode);
        Assert.Equal("1", after.ModelVersion);
    }

    private static ModelInferRequest Request(DataFrame rows, bool raw, string? id = null)
    {
        var count = (int)rows.Rows.Count;
        var request = new ModelInferRequest { ModelName = "delays", Id = id ?? "" };
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "probability" });
        var distance = Enumerable.Range(0, count).Select(r => Convert.ToSingle(rows["distance"][r], CultureInfo.InvariantCulture)).ToArray();
        string[] Text(string column) => Enumerable.Range(0, count).Select(r => (string)rows[column][r]).ToArray();
        foreach (var (name, datatype) in new[] { ("distance", "FP32"), ("origin", "BYTES"), ("destination", "BYTES") })
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = datatype, Shape = { count, 1 } };
            if (raw)
            {
                request.RawInputContents.Add(ByteString.CopyFrom(datatype == "FP32" ? distance.SelectMany(BitConverter.GetBytes).ToArray() : Text(name).SelectMany(Prefixed).ToArray()));
            }
            else
            {
                input.Contents = datatype == "FP32" ? new InferTensorContents { Fp32Contents = { distance } } : new InferTensorContents { BytesContents = { Text(name).Select(ByteString.CopyFromUtf8) } };
            }

            request.Inputs.Add(input);
        }

        return request;
    }

    private static byte[] Prefixed(string text) => [.. BitConverter.GetBytes(Encoding.UTF8.GetByteCount(text)), .. Encoding.UTF8.GetBytes(text)];

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
