using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace NotebookMl.Core.Registry;

/// <summary>What an endpoint answered to a publication: its version number there, whether the alias moved, and every gate.</summary>
public sealed record PublicationResult(Uri Endpoint, string Name, int Version, string Alias, bool Promoted, IReadOnlyList<GateResult> Gates);

/// <summary>
/// Publishing a registered version to a running endpoint (<c>notebookml serve</c>): the version with everything registered
/// with it is POSTed to <c>/v2/repository/models/NAME/publish</c>; the endpoint registers it and promotes it through its gates.
/// </summary>
public static class EndpointPublishing
{
    /// <summary>
    /// Publishes <paramref name="version"/> to <paramref name="endpoint"/>, to move <paramref name="alias"/> there if <paramref name="gates"/>
    /// and the endpoint's own gates pass. An endpoint that does not answer, or refuses (a bad token, a malformed publication), is an
    /// <see cref="IOException"/> or <see cref="InvalidOperationException"/> saying why; failed gates are a result with <c>Promoted</c> false.
    /// </summary>
    public static async Task<PublicationResult> PublishAsync(this ModelRegistry registry, ModelVersion version, Uri endpoint, string alias = "champion",
        PromotionPolicy? gates = null, string? reason = null, string? token = null, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        ModelRegistry.CheckAlias(alias);
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
        {
            throw new Options.InvalidOptionException(nameof(endpoint), $"'{endpoint}' is not an http(s) URL.");
        }

        var registration = new ModelRegistration(registry.ReadOnnx(version))
        {
            RunId = version.RunId, Metrics = version.Metrics, Params = version.Params, FeatureViews = version.FeatureViews, DatasetDigest = version.DatasetDigest,
            Tags = version.Tags, Description = version.Description, Signature = version.Signature, Reference = registry.ReadReference(version), Sample = registry.ReadSample(version),
        };
        var publication = new ModelPublication(version.Name, alias, $"{version.Uri} by {RegistryActor.Current()}", registration, gates ?? PromotionPolicy.None, reason);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, $"v2/repository/models/{Uri.EscapeDataString(version.Name)}/publish"))
        {
            Content = new ByteArrayContent(publication.ToJson()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var client = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var body = text.Length > 0 ? JsonNode.Parse(text) : null;
            if (response.StatusCode is not (System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.Conflict) || body?["gates"] is null)
            {
                var status = (int)response.StatusCode;
                throw new InvalidOperationException($"{endpoint} refused the publication ({status}): {(string?)body?["error"] ?? $"HTTP {status}"}{(status == 401 ? " Pass its token." : "")}");
            }

            var results = body["gates"]!.AsArray().Select(g => new GateResult((string)g!["gate"]!, (string)g["value"]!, (bool)g["passed"]!)).ToArray();
            return new PublicationResult(endpoint, version.Name, (int)body["version"]!, alias, (bool)body["promoted"]!, results);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{endpoint} did not answer: {e.Message}");
        }
        finally
        {
            if (http is null)
            {
                client.Dispose();
            }
        }
    }
}
