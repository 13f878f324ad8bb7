using System.Globalization;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Verbs;
using NotebookMl.Core.Registry.Traffic;
using CSharpChart = Plotly.NET.CSharp.Chart;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>models show NAME</c>: the model card of the latest version, then how the model is served: the traffic routes set in
/// the registry (canary share, shadow), and from the prediction log over a recent window the live split by route and
/// version, the fallback rate, latency, and the shadow's agreement; in notebooks with charts of requests and p99 latency per minute.
/// </summary>
public sealed record ModelServingResult(ModelVersionResult Card, TrafficRoutes Traffic, IReadOnlyDictionary<string, int?> AliasVersions, ServingActivity Activity, ShadowReport Shadow, EndpointStatus? Endpoint = null) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        static string Ms(double? value) => value is { } v ? Tracking.Html.Number(v) : "";
        static string Share(double? value) => value is { } v ? (v * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : "";
        var name = Activity.Model;
        var traffic = new Table(["route", "alias", "version", "traffic"],
        [
            ["canary", Traffic.Canary is { } c ? "@" + c.Alias : "off", Traffic.Canary is { } cv ? Version(cv.Alias) : "", Traffic.Canary is { } cp ? cp.Percent.ToString("0.##", CultureInfo.InvariantCulture) + " % of requests naming no version" : ""],
            ["shadow", Traffic.Shadow is { } s ? "@" + s.Alias : "off", Traffic.Shadow is { } sv ? Version(sv.Alias) : "", Traffic.Shadow is not null ? "every request mirrored, never returned" : ""],
        ])
        { Title = $"Traffic routes of {name} (registry; endpoints follow them)" };
        var since = Tracking.Html.Time(Activity.Since);
        var split = new Table(["route", "version", "requests", "share", "fallbacks", "mean ms", "p50 ms", "p99 ms"],
            Activity.Routes.Select(r => (IReadOnlyList<string>)[r.Route, r.Version.ToString(CultureInfo.InvariantCulture), r.Requests.ToString("N0", CultureInfo.InvariantCulture),
                Share(r.Share), r.Fallbacks.ToString("N0", CultureInfo.InvariantCulture), Ms(r.Latency.Mean), Ms(r.Latency.P50), Ms(r.Latency.P99)]).ToArray())
        {
            Title = Activity.Routes.Count == 0
                ? $"No requests of {name} in the prediction log since {since}."
                : $"Live split since {since}: {Activity.Answered:N0} requests answered, fallback rate {Share(Activity.FallbackRate)} (prediction log)",
        };
        return [.. Card.ToTables(), traffic, split, .. Shadow.Pairs > 0 ? TrafficCommands.ReportResult(Shadow).Tables : [], .. Endpoint is { } e ? [EndpointTable(e)] : Array.Empty<Table>()];
    }

    /// <summary>The card's JSON (as <c>models show NAME/VERSION</c> gives it) with a <c>serving</c> object added.</summary>
    public object ToJson()
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(Card.ToJson(), RegistryJson.Options)!.AsObject();
        json["serving"] = System.Text.Json.JsonSerializer.SerializeToNode(Serving(), RegistryJson.Options);
        return json;
    }

    private object Serving() => new
    {
            since = Activity.Since,
            answered = Activity.Answered,
            fallback_rate = Activity.FallbackRate,
            traffic = new
            {
                canary = Traffic.Canary is { } c ? new { alias = c.Alias, version = AliasVersions.GetValueOrDefault(c.Alias), percent = c.Percent } : null,
                shadow = Traffic.Shadow is { } s ? new { alias = s.Alias, version = AliasVersions.GetValueOrDefault(s.Alias) } : null,
            },
            routes = Activity.Routes.Select(r => new
            {
                route = r.Route, version = r.Version, requests = r.Requests, share = r.Share, fallbacks = r.Fallbacks,
                latency_ms = new { mean = r.Latency.Mean, p50 = r.Latency.P50, p99 = r.Latency.P99 },
            }),
            shadow = Shadow.Pairs > 0 ? TrafficCommands.ReportResult(Shadow).Json : null,
            endpoint = Endpoint is { } e
                ? new
                {
                    url = e.Endpoint, error = e.Error, serving_version = e.ServedVersion, canary = e.Canary, shadow = e.Shadow,
                    counters = e.Counters.Select(c => new { name = c.Name, labels = c.Labels, value = c.Value }),
                }
                : null,
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() => ModelVersionResult.Bundle(ToTables(), ChartsHtml());

    private static Table EndpointTable(EndpointStatus endpoint)
    {
        if (endpoint.Error is { } error)
        {
            return new Table(["endpoint", "error"], [[endpoint.Endpoint.ToString(), error]]) { Title = $"Endpoint {endpoint.Endpoint}: cannot be read" };
        }

        static string Labels(EndpointCounter c) => string.Join(", ", c.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "serving version", endpoint.ServedVersion ?? "none", "" },
            new[] { "canary", endpoint.Canary is { } c ? $"@{c["alias"]} → version {c["version"]}, {c["percent"]} %" : "off", "" },
            new[] { "shadow", endpoint.Shadow is { } s ? $"@{s["alias"]} → version {s["version"]}" : "off", "" },
        };
        rows.AddRange(endpoint.Counters.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(Labels, StringComparer.Ordinal)
            .Select(c => (IReadOnlyList<string>)[c.Name.Replace("notebookml_", "", StringComparison.Ordinal), Labels(c), c.Value.ToString("N0", CultureInfo.InvariantCulture)]));
        return new Table(["what", "labels", "value"], rows) { Title = $"Endpoint {endpoint.Endpoint} (its metadata and /metrics, since it started)" };
    }

    private string Version(string alias) => AliasVersions.GetValueOrDefault(alias) is { } v ? v.ToString(CultureInfo.InvariantCulture) : "none";

    // Requests per minute and p99 latency per minute, a line per route and version.
    private string ChartsHtml()
    {
        if (Activity.Minutes.Count == 0)
        {
            return "";
        }

        var series = Activity.Minutes.GroupBy(m => (m.Route, m.Version)).OrderBy(g => g.Key.Route, StringComparer.Ordinal).ThenBy(g => g.Key.Version).ToArray();
        var requests = Plotly.NET.CSharp.GenericChartExtensions.WithSize(CSharpChart.Combine(series.Select(g =>
            CSharpChart.Line<DateTime, long, string>(x: g.Select(m => m.Minute), y: g.Select(m => m.Requests), Name: $"{g.Key.Route} v{g.Key.Version}", ShowMarkers: true))), 720, 280);
        requests = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<int, int, string>(requests, TitleText: "requests / minute");
        var latency = Plotly.NET.CSharp.GenericChartExtensions.WithSize(CSharpChart.Combine(series.Select(g =>
            CSharpChart.Line<DateTime, double, string>(x: g.Select(m => m.Minute), y: g.Select(m => m.P99 ?? double.NaN), Name: $"{g.Key.Route} v{g.Key.Version}", ShowMarkers: true))), 720, 280);
        latency = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<int, int, string>(latency, TitleText: "p99 latency (ms)");
        return "<h4>Requests per minute, by route and version</h4>" + Charts.PlotlyHtml.Render(requests)
            + "<h4>p99 latency per minute</h4>" + Charts.PlotlyHtml.Render(latency);
    }
}
