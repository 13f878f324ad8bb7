using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Registry.Promotion;

namespace NotebookMl.Core.Registry.Publishing;

/// <summary>
/// What an endpoint answered to a publication: its version number there, the alias and whether it moved, every gate, and what
/// the endpoint serves after it (read back from the endpoint once it has swapped, not inferred): its serving alias, the version
/// that alias serves (null when none does) and, when that is not the version it was sent, why.
/// </summary>
public sealed record PublicationResult(Uri Endpoint, string Name, int Version, string Alias, bool Promoted, IReadOnlyList<GateResult> Gates,
    string ServingAlias, int? ServingVersion, string? ServingReason)
{
    /// <summary>True when the alias moved and is the one the endpoint serves, and the endpoint serves the published version.</summary>
    public bool Serves => Promoted && Alias == ServingAlias && ServingVersion == Version;
}

/// <summary>
/// Publishing a registered version to a running endpoint (<c>notebookml serve</c>): the version with everything registered
/// with it is POSTed to <c>/v2/repository/models/NAME/publish</c>; the endpoint registers it and promotes it through its gates.
/// </summary>
public static class EndpointPublishing
{
    /// <summary>
    /// Publishes <paramref name="version"/> to <paramref name="endpoint"/>, to move <paramref name="alias"/> there (null: the alias the
    /// endpoint serves) if <paramref name="gates"/> and the endpoint's own gates pass. An endpoint that does not answer, or refuses
    /// (a bad token, a malformed publication), is an <see cref="IOException"/> or <see cref="InvalidOperationException"/> saying why;
    /// failed gates are a result with <c>Promoted</c> false. A token is never sent in clear over the network: plain http to a host
    /// other than loopback is refused unless <paramref name="allowInsecureHttp"/>.
    /// </summary>
    public static async Task<PublicationResult> PublishAsync(ModelRegistry registry, ModelVersion version, Uri endpoint, string? alias = null,
        PromotionPolicy? gates = null, string? reason = null, string? token = null, HttpClient? http = null, bool allowInsecureHttp = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (alias is not null)
        {
            ModelRegistry.CheckAlias(alias);
        }

        if (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
        {
            throw new Options.InvalidOptionException(nameof(endpoint), $"'{endpoint}' is not an http(s) URL.");
        }

        if (token is not null && !allowInsecureHttp && Net.PlainHttp.SendsInClear(endpoint))
        {
            throw new Options.InvalidOptionException(nameof(endpoint), $"{endpoint} is plain http to a host that is not loopback: the token would cross the network in clear; use https.");
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
            var serving = body["serving"];
            return new PublicationResult(endpoint, version.Name, (int)body["version"]!, (string)body["alias"]!, (bool)body["promoted"]!, results,
                (string?)serving?["alias"] ?? "", (int?)serving?["version"], (string?)serving?["reason"]);
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
