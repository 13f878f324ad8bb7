using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// What a running endpoint says about one model: from <c>/v2/models/NAME</c> the version it serves and the canary and
/// shadow it follows; from <c>/metrics</c> (the Prometheus text format) its request, fallback and shadow counters since it
/// started. An endpoint that cannot be read gives <see cref="Error"/> instead.
/// </summary>
public sealed partial record EndpointStatus(Uri Endpoint, string? ServedVersion, JsonNode? Canary, JsonNode? Shadow, IReadOnlyList<EndpointCounter> Counters, string? Error = null)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Reads <paramref name="model"/>'s status from the endpoint at <paramref name="endpoint"/>.</summary>
    public static EndpointStatus Read(Uri endpoint, string model)
    {
        try
        {
            var metadata = JsonNode.Parse(Http.GetStringAsync(new Uri(endpoint, $"/v2/models/{Uri.EscapeDataString(model)}")).GetAwaiter().GetResult());
            var metrics = Http.GetStringAsync(new Uri(endpoint, "/metrics")).GetAwaiter().GetResult();
            return new EndpointStatus(endpoint, (string?)metadata?["versions"]?[0], metadata?["parameters"]?["canary"]?.DeepClone(), metadata?["parameters"]?["shadow"]?.DeepClone(), ParseCounters(metrics, model));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return new EndpointStatus(endpoint, null, null, null, [], e.Message.Split('\n')[0]);
        }
    }

    /// <summary>The model's samples of the endpoint's counters (requests, fallbacks, shadow mirrors) in Prometheus text.</summary>
    internal static IReadOnlyList<EndpointCounter> ParseCounters(string text, string model)
    {
        var counters = new List<EndpointCounter>();
        foreach (var line in text.Split('\n'))
        {
            if (Sample().Match(line) is not { Success: true } sample || sample.Groups[1].Value is not ("notebookml_inference_requests_total" or "notebookml_fallback_total" or "notebookml_shadow_requests_total"))
            {
                continue;
            }

            var labels = Label().Matches(sample.Groups[2].Value).ToDictionary(l => l.Groups[1].Value, l => Regex.Unescape(l.Groups[2].Value), StringComparer.Ordinal);
            if (labels.GetValueOrDefault("model") == model && double.TryParse(sample.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                labels.Remove("model");
                counters.Add(new EndpointCounter(sample.Groups[1].Value, labels, value));
            }
        }

        return counters;
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}

/// <summary>One sample of an endpoint counter: its name, its labels other than the model, its value.</summary>
public sealed record EndpointCounter(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
