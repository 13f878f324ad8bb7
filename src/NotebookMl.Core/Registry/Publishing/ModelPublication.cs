using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Registry.Reference;

namespace NotebookMl.Core.Registry.Publishing;

/// <summary>
/// A registered version sent from one workspace to an endpoint's (<c>models publish</c>): the ONNX model and everything
/// registered with it (signature, lineage, metrics, reference statistics, prediction sample), the alias to move, and
/// the gates to pass there. The endpoint registers it as its own next version and promotes it only if the gates pass.
/// </summary>
/// <param name="Name">The model's name at the endpoint.</param>
/// <param name="Alias">The alias to move to the new version; null: the alias the endpoint serves.</param>
/// <param name="Source">Where it came from: the version's URI and who published it.</param>
/// <param name="Registration">The version's model and records.</param>
/// <param name="Gates">Gates to pass besides the endpoint's own policy for the alias.</param>
/// <param name="Reason">Why, kept in the endpoint's alias history.</param>
public sealed record ModelPublication(string Name, string? Alias, string Source, ModelRegistration Registration, PromotionPolicy Gates, string? Reason)
{
    /// <summary>The JSON body sent to <c>POST /v2/repository/models/NAME/publish</c>.</summary>
    public byte[] ToJson()
    {
        var r = Registration;
        var body = new JsonObject
        {
            ["name"] = Name,
            ["alias"] = Alias,
            ["source"] = Source,
            ["reason"] = Reason,
            ["require"] = new JsonArray(Gates.Require.Select(g => (JsonNode?)g.Text).ToArray()),
            ["max_drift"] = Gates.MaxDrift,
            ["drift_window_seconds"] = Gates.DriftWindow?.TotalSeconds,
            ["drift_min_rows"] = Gates.DriftMinRows,
            ["onnx"] = Convert.ToBase64String(r.Onnx),
            ["run_id"] = r.RunId,
            ["description"] = r.Description,
            ["dataset_digest"] = r.DatasetDigest,
            ["metrics"] = JsonSerializer.SerializeToNode(r.Metrics, RegistryJson.Options),
            ["params"] = JsonSerializer.SerializeToNode(r.Params, RegistryJson.Options),
            ["feature_views"] = JsonSerializer.SerializeToNode(r.FeatureViews, RegistryJson.Options),
            ["tags"] = JsonSerializer.SerializeToNode(r.Tags, RegistryJson.Options),
            ["signature"] = JsonSerializer.SerializeToNode(r.Signature, RegistryJson.Options),
            ["reference"] = r.Reference is null ? null : JsonSerializer.SerializeToNode(r.Reference, RegistryJson.Options),
            ["sample"] = r.Sample is null ? null : JsonSerializer.SerializeToNode(r.Sample, RegistryJson.Options),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, RegistryJson.Options);
    }

    /// <summary>Reads a publication; what is missing or malformed is an <see cref="InvalidDataException"/> naming the field.</summary>
    public static ModelPublication FromJson(ReadOnlySpan<byte> json)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("the publication must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the publication is not JSON: {e.Message.Split(" Path:", 2)[0]}");
        }

        string Required(string field) => body[field]?.GetValueKind() == JsonValueKind.String ? body[field]!.GetValue<string>() : throw new InvalidDataException($"the publication has no '{field}'.");
        T Read<T>(string field) where T : class =>
            body[field] is { } node ? node.Deserialize<T>(RegistryJson.Options) ?? throw new InvalidDataException($"'{field}' is empty.") : throw new InvalidDataException($"the publication has no '{field}'.");
        T? Optional<T>(string field) where T : class => body[field] is { } node ? node.Deserialize<T>(RegistryJson.Options) : null;

        byte[] onnx;
        try
        {
            onnx = Convert.FromBase64String(Required("onnx"));
        }
        catch (FormatException)
        {
            throw new InvalidDataException("'onnx' is not Base64.");
        }

        try
        {
            var registration = new ModelRegistration(onnx)
            {
                RunId = (string?)body["run_id"],
                Description = (string?)body["description"],
                DatasetDigest = (string?)body["dataset_digest"],
                Metrics = Read<Dictionary<string, double>>("metrics"),
                Params = Read<Dictionary<string, string>>("params"),
                FeatureViews = Read<Dictionary<string, int>>("feature_views"),
                Tags = Optional<Dictionary<string, string>>("tags") ?? [],
                Signature = Read<ModelSignature>("signature"),
                Reference = Optional<ReferenceStatistics>("reference"),
                Sample = Optional<PredictionSample>("sample"),
            };
            var gates = new PromotionPolicy(Optional<string[]>("require") ?? [], (double?)body["max_drift"], (double?)body["drift_window_seconds"] is { } seconds ? TimeSpan.FromSeconds(seconds) : null, (int?)body["drift_min_rows"]);
            return new ModelPublication(Required("name"), (string?)body["alias"], Required("source"), registration, gates, (string?)body["reason"]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"the publication is malformed: {e.Message.Split(" Path:", 2)[0]}");
        }
    }
}
