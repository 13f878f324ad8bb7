using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using NotebookMl.Serving.Hosting;

namespace NotebookMl.Serving.Tests;

/// <summary>HTTPS with a certificate given (Kestrel's TLS), checked by a real client that pins that certificate.</summary>
public sealed class TlsTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public async Task With_a_certificate_the_endpoint_speaks_https_and_the_queue_time_is_measured()
    {
        var workspace = models.NewWorkspace(out _);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(workspace.Root, "endpoint.pfx");
        var password = Path.Combine(workspace.Root, "password");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        await File.WriteAllTextAsync(password, "pfx-password\n");

        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, TlsCertificate = pfx, TlsPasswordFile = password, MaxBatchSize = 8 }, _ => { });
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        using var http = new HttpClient(handler) { BaseAddress = server.Address };
        var live = await http.GetStringAsync("/v2/health/live");
        var inferred = await http.PostAsync("/v2/models/delays/infer", new StringContent(ServingClient.InferBody(models.Rows[Enumerable.Range(0, 3)])));
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Equal("https", server.Address.Scheme);
        Assert.True((bool)JsonNode.Parse(live)!["live"]!);
        Assert.Equal(HttpStatusCode.OK, inferred.StatusCode);
        Assert.Contains("notebookml_inference_queue_duration_seconds_count{model=\"delays\",version=\"1\"} 1", metrics);
        Assert.StartsWith("TlsCertificate: ", Assert.Throws<Core.Options.InvalidOptionException>(() => new ServingOptions { TlsCertificate = password }.ReadCertificate()).Message);
    }
}
