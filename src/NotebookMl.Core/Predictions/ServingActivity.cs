using System.Globalization;
using NotebookMl.Core.Workspaces;
using static NotebookMl.Core.Predictions.PredictionLogFiles;

namespace NotebookMl.Core.Predictions;

/// <summary>
/// What a model's endpoints answered over a recent window, from the prediction log: per route (default, canary, version,
/// shadow) and version, the requests, their share of the answered ones, how many a fallback answered, and latency; and the
/// same per minute, for charts. Shadow answers are counted apart: callers never got them.
/// </summary>
/// <param name="Model">The model.</param>
/// <param name="Since">The window's start.</param>
/// <param name="Routes">Per route and version.</param>
/// <param name="Minutes">Per minute, route and version.</param>
public sealed record ServingActivity(string Model, DateTimeOffset Since, IReadOnlyList<RouteActivity> Routes, IReadOnlyList<MinuteActivity> Minutes)
{
    /// <summary>Requests answered to callers (shadow answers not counted).</summary>
    public long Answered => Routes.Where(r => r.Route != "shadow").Sum(r => r.Requests);

    /// <summary>The share of answered requests a fallback answered (null without requests).</summary>
    public double? FallbackRate => Answered == 0 ? null : (double)Routes.Where(r => r.Route != "shadow").Sum(r => r.Fallbacks) / Answered;

    /// <summary>The activity of <paramref name="model"/> in <paramref name="workspace"/>'s prediction log from <paramref name="since"/> on.</summary>
    public static ServingActivity Compute(WorkspaceLocation workspace, string model, DateTimeOffset since)
    {
        if (Relation(workspace, model, since) is not { } relation)
        {
            return new ServingActivity(model, since, [], []);
        }

        using var connection = Connect();
        // One row per request (row 0): a request of many rows counts once, with its latency.
        var requests = $"(SELECT * FROM {relation} WHERE row = 0 AND {Answered(Columns(connection, relation))})";
        var routes = Rows(connection, $"""
            SELECT route, version, count(*), count(fallback), avg(latency_ms), quantile_cont(latency_ms, 0.5), quantile_cont(latency_ms, 0.99)
            FROM {requests} GROUP BY route, version ORDER BY route = 'shadow', route, version
            """);
        var answered = routes.Where(r => (string?)r[0] != "shadow").Sum(r => Convert.ToInt64(r[2], CultureInfo.InvariantCulture));
        var minutes = Rows(connection, $"""
            SELECT date_trunc('minute', time) AS minute, route, version, count(*), count(fallback), quantile_cont(latency_ms, 0.99)
            FROM {requests} GROUP BY ALL ORDER BY minute, route, version
            """);
        return new ServingActivity(model, since,
            routes.Select(r =>
            {
                var count = Convert.ToInt64(r[2], CultureInfo.InvariantCulture);
                var shadow = (string?)r[0] == "shadow";
                return new RouteActivity((string)r[0]!, Convert.ToInt32(r[1], CultureInfo.InvariantCulture), count, shadow || answered == 0 ? null : (double)count / answered,
                    Convert.ToInt64(r[3], CultureInfo.InvariantCulture), new LatencySummary(count, Number(r[4]), Number(r[5]), Number(r[6])));
            }).ToArray(),
            minutes.Select(m => new MinuteActivity((DateTime)m[0]!, (string)m[1]!, Convert.ToInt32(m[2], CultureInfo.InvariantCulture),
                Convert.ToInt64(m[3], CultureInfo.InvariantCulture), Convert.ToInt64(m[4], CultureInfo.InvariantCulture), Number(m[5]))).ToArray());
    }

    private static double? Number(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}

/// <summary>A route and version's requests in the window: count, share of the answered requests (null for the shadow), fallbacks, latency (ms).</summary>
public sealed record RouteActivity(string Route, int Version, long Requests, double? Share, long Fallbacks, LatencySummary Latency);

/// <summary>One minute of a route and version: requests, fallbacks, 99th percentile latency (ms).</summary>
public sealed record MinuteActivity(DateTime Minute, string Route, int Version, long Requests, long Fallbacks, double? P99);
