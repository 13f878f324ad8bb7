using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NotebookMl.Core.Registry;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Kernel.Verbs;

namespace NotebookMl.Extensions.Ml.Registry;

/// <summary>
/// <c>models publish NAME[/VERSION|@ALIAS] --to URL [--alias champion] [--token-file FILE] [--require GATE]… [--reason TEXT]</c>:
/// sends a registered version (ONNX, signature, lineage, reference statistics, recorded sample) to a running endpoint, which
/// registers it and moves the alias only if every gate passes there. Exit code 1 when a gate failed, with every gate's value.
/// </summary>
internal static class ModelPublishing
{
    public static Command Command(IVerbContext context, Func<ModelRegistry> registry)
    {
        var model = new Argument<string>("model") { Description = "NAME (its latest version), NAME/VERSION, NAME@ALIAS or a models:/ URI." };
        var to = new Option<string>("--to") { Description = "The endpoint's URL (notebookml serve), e.g. http://serving-host:8000.", Required = true };
        var alias = new Option<string>("--alias") { Description = "The alias to move there.", DefaultValueFactory = _ => "champion" };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file with the endpoint's bearer token." };
        var require = new Option<string[]>("--require") { Description = "A metric gate to pass there besides the endpoint's own, repeatable (test_auc>=champion-0.002)." };
        var maxDrift = new Option<double?>("--max-drift") { Description = "The largest drift (PSI) allowed; reports itself unavailable until drift monitoring exists." };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in the endpoint's alias history." };
        var command = new Command("publish", "Send a registered version to a running endpoint, which registers it and promotes it through its gates (how a pipeline publishes).")
        {
            model, to, alias, tokenFile, require, maxDrift, reason,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var gates = new PromotionPolicy(parse.GetValue(require) ?? [], parse.GetValue(maxDrift));
            ModelRegistry.CheckAlias(parse.GetValue(alias)!);
            var url = Uri.TryCreate(parse.GetValue(to), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed : throw new ArgumentException($"--to: '{parse.GetValue(to)}' is not an http(s) URL.");
            var token = parse.GetValue(tokenFile) is { } file
                ? File.Exists(file) ? (await File.ReadAllTextAsync(file, cancellation)).Trim() : throw new FileNotFoundException($"--token-file: {Path.GetFullPath(file)} does not exist.")
                : null;
            var opened = registry();
            var version = ModelsVerb.Find(opened, parse.GetValue(model)!);
            var registration = new ModelRegistration(opened.ReadOnnx(version))
            {
                RunId = version.RunId, Metrics = version.Metrics, Params = version.Params, FeatureViews = version.FeatureViews, DatasetDigest = version.DatasetDigest,
                Tags = version.Tags, Description = version.Description, Signature = version.Signature, Reference = opened.ReadReference(version), Sample = opened.ReadSample(version),
            };
            var publication = new ModelPublication(version.Name, parse.GetValue(alias)!, $"{version.Uri} by {RegistryActor.Current()}", registration, gates, parse.GetValue(reason));

            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, $"v2/repository/models/{Uri.EscapeDataString(version.Name)}/publish"))
            {
                Content = new ByteArrayContent(publication.ToJson()) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellation);
            }
            catch (HttpRequestException e)
            {
                throw new IOException($"--to: {url} did not answer: {e.Message}");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellation);
                var body = text.Length > 0 ? JsonNode.Parse(text) : null;
                if (response.StatusCode is not (System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.Conflict) || body?["gates"] is null)
                {
                    var why = (string?)body?["error"] ?? $"HTTP {(int)response.StatusCode}";
                    throw new InvalidOperationException($"{url} refused the publication ({(int)response.StatusCode}): {why}{((int)response.StatusCode == 401 ? " Pass its token with --token-file." : "")}");
                }

                var promoted = (bool)body["promoted"]!;
                var there = (int)body["version"]!;
                var gateRows = body["gates"]!.AsArray().Select(g => (IReadOnlyList<string>)[(string)g!["gate"]!, (string)g["value"]!, (bool)g["passed"]! ? "passed" : "FAILED"]).ToArray();
                var title = promoted
                    ? $"Published {version.Uri} to {url}: version {there} there, promoted to @{parse.GetValue(alias)}"
                    : $"Published {version.Uri} to {url} as version {there}, not promoted: {gateRows.Count(g => g[2] == "FAILED")} of {gateRows.Length} gates failed";
                context.Display(new TableResult([new Table(["gate", "value", "result"], gateRows) { Title = title }],
                    new { name = version.Name, source_version = version.Version, endpoint = url, version = there, alias = parse.GetValue(alias), promoted, gates = body["gates"] }));
                return promoted ? 0 : ModelPromotion.GateFailed;
            }
        });
        return command;
    }
}
