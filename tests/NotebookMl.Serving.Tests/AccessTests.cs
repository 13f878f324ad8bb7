using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using NotebookMl.Serving.Grpc.V2;
using NotebookMl.Serving.Hosting;

namespace NotebookMl.Serving.Tests;

/// <summary>
/// Who may call what, against a real server: the token is asked for by the endpoint a request reaches, however its path is
/// spelled, over REST and gRPC; and the control API refuses what a web page or DNS rebinding could send it, token or not.
/// </summary>
public sealed class AccessTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private const string Token = "a-long-enough-secret-token";

    [Fact]
    public async Task With_a_token_file_the_control_api_and_inference_need_the_bearer_token()
    {
        await using var server = await StartAsync(new ServingOptions { Port = 0, RequireTokenForInference = true });
        using var anonymous = new ServingClient(server.Address);
        using var wrong = new ServingClient(server.Address, "not-the-token-at-all");
        using var authorized = new ServingClient(server.Address, Token);
        var body = ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)]);

        Assert.Equal(401, (await anonymous.PostAsync("/v2/repository/index", "")).Status);
        Assert.Equal(401, (await wrong.PostAsync("/v2/models/delays/infer", body)).Status);
        Assert.Equal("this call needs 'Authorization: Bearer TOKEN' with the server's token.", (string?)(await anonymous.PostAsync("/v2/models/delays/infer", body)).Body!["error"]);
        Assert.Equal(200, (await anonymous.GetAsync("/v2/health/ready")).Status);
        Assert.Equal(200, (await authorized.PostAsync("/v2/repository/index", "")).Status);
        Assert.Equal(200, (await authorized.PostAsync("/v2/models/delays/infer", body)).Status);
    }

    [Theory]
    [InlineData("/v2/models/delays/infer/")]
    [InlineData("/v2/models/delays/INFER")]
    [InlineData("/V2/Models/delays/Infer")]
    [InlineData("/v2/models/delays/versions/1/infer")]
    [InlineData("/v2/models/delays/versions/1/INFER/")]
    [InlineData("/v2/repository/models/delays/UNLOAD")]
    [InlineData("/v2/Repository/index/")]
    public async Task Every_spelling_that_reaches_an_inference_or_control_handler_needs_the_token(string path)
    {
        await using var server = await StartAsync(new ServingOptions { Port = 0, RequireTokenForInference = true });
        using var anonymous = new ServingClient(server.Address);
        using var authorized = new ServingClient(server.Address, Token);
        var body = path.Contains("infer", StringComparison.OrdinalIgnoreCase) ? ServingClient.InferBody(models.Rows[Enumerable.Range(0, 2)]) : "";

        var (refused, error) = await anonymous.PostAsync(path, body);
        var (served, _) = await authorized.PostAsync(path, body);

        Assert.Equal((401, 200), (refused, served));
        Assert.Null(error!["outputs"]);
    }

    [Fact]
    public async Task The_binary_tensor_extension_needs_the_token_too()
    {
        await using var server = await StartAsync(new ServingOptions { Port = 0, RequireTokenForInference = true });
        using var http = new HttpClient { BaseAddress = server.Address };
        var header = Encoding.UTF8.GetBytes("""{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "parameters": {"binary_data_size": 4}}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "destination", "datatype": "BYTES", "shape": [1, 1], "data": ["LAX"]}]}""");
        HttpRequestMessage Request(string? token)
        {
            var content = new ByteArrayContent([.. header, .. BitConverter.GetBytes(733f)]);
            content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/delays/Infer/") { Content = content };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return request;
        }

        using var refused = await http.SendAsync(Request(null));
        using var served = await http.SendAsync(Request(Token));

        Assert.Equal((401, 200), ((int)refused.StatusCode, (int)served.StatusCode));
    }

    [Fact]
    public async Task Grpc_inference_needs_the_token_and_a_message_over_the_limit_is_resource_exhausted()
    {
        await using var server = await StartAsync(new ServingOptions { Port = 0, GrpcPort = 0, RequireTokenForInference = true, MaxBodyBytes = 4096 });
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress!);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var authorized = new Metadata { { "authorization", "Bearer " + Token } };
        ModelInferRequest Request(int rows)
        {
            var request = new ModelInferRequest { ModelName = "delays" };
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "distance", Datatype = "FP32", Shape = { rows, 1 }, Contents = new InferTensorContents { Fp32Contents = { Enumerable.Repeat(733f, rows) } } });
            foreach (var (name, value) in new[] { ("origin", "ORD"), ("destination", "LAX") })
            {
                request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "BYTES", Shape = { rows, 1 }, Contents = new InferTensorContents { BytesContents = { Enumerable.Repeat(Google.Protobuf.ByteString.CopyFromUtf8(value), rows) } } });
            }

            return request;
        }

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(Request(2)).ResponseAsync);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(Request(2), new Metadata { { "authorization", "Bearer not-the-token-at-all" } }).ResponseAsync);
        var large = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(Request(2_000), authorized).ResponseAsync);
        var answer = await client.ModelInferAsync(Request(2), authorized);
        var metadata = await client.ModelMetadataAsync(new ModelMetadataRequest { Name = "delays" });

        Assert.Equal((StatusCode.Unauthenticated, "this call needs 'Authorization: Bearer TOKEN' with the server's token."), (anonymous.StatusCode, anonymous.Status.Detail));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, large.StatusCode);
        Assert.Equal("1", answer.ModelVersion);
        Assert.Equal("delays", metadata.Name);
    }

    [Fact]
    public async Task A_cross_origin_simple_request_cannot_unload_the_model_of_a_default_server()
    {
        await using var server = await ServingHost.StartAsync(models.NewWorkspace(out _), new ServingOptions { Port = 0 }, _ => { });
        using var http = new HttpClient { BaseAddress = server.Address };

        // What a page on another site sends: a "simple" POST (text/plain, no preflight) with its Origin.
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/models/delays/unload") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
        crossSite.Headers.Add("Origin", "http://evil.example");
        using var refused = await http.SendAsync(crossSite);
        // The same without Origin still is not JSON; and a same-origin JSON call is the control API's own.
        using var plain = await http.PostAsync("/v2/repository/models/delays/unload", new StringContent("{}", Encoding.UTF8, "text/plain"));
        using var ready = await http.GetAsync("/v2/health/ready");
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        sameOrigin.Headers.Add("Origin", server.Address.GetLeftPart(UriPartial.Authority));
        using var index = await http.SendAsync(sameOrigin);

        Assert.Equal(403, (int)refused.StatusCode);
        Assert.Equal("the control API refuses cross-origin requests; this one came from 'http://evil.example'.", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]);
        Assert.Equal(415, (int)plain.StatusCode);
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Equal(200, (int)index.StatusCode);
    }

    [Fact]
    public async Task A_foreign_host_header_is_refused_and_an_allowed_one_is_not()
    {
        await using var server = await ServingHost.StartAsync(models.NewWorkspace(out _), new ServingOptions { Port = 0, AllowedHosts = ["serving.internal"] }, _ => { });
        using var http = new HttpClient { BaseAddress = server.Address };
        async Task<(int Status, string? Error)> UnloadAs(string host)
        {
            // DNS rebinding: the page's own name resolves to 127.0.0.1, so its requests carry that name as Host.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/models/delays/unload") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
        }

        var rebound = await UnloadAs($"evil.example:{server.Address.Port}");
        using var stillReady = await http.GetAsync("/v2/health/ready");
        var allowed = await UnloadAs($"serving.internal:{server.Address.Port}");
        var loopbackName = await UnloadAs($"localhost:{server.Address.Port}");

        Assert.Equal((403, $"the control API answers only to a loopback Host or one the server allows (--allow-host); this request's Host is 'evil.example:{server.Address.Port}'."), rebound);
        Assert.Equal(200, (int)stillReady.StatusCode);
        Assert.Equal(200, allowed.Status);
        Assert.Equal(200, loopbackName.Status);
        Assert.StartsWith("AllowedHosts: 'http://x' is not a host name", Assert.Throws<Core.Options.InvalidOptionException>(() => new ServingOptions { AllowedHosts = ["http://x"] }.Validate()).Message);
    }

    private async Task<ServingHost> StartAsync(ServingOptions options)
    {
        var workspace = models.NewWorkspace(out _);
        var tokenFile = Path.Combine(workspace.Root, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        return await ServingHost.StartAsync(workspace, options with { TokenFile = tokenFile }, _ => { });
    }
}
