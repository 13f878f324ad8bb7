using System.Globalization;
using NotebookMl.Core.Workspaces;
using static NotebookMl.Core.Predictions.PredictionLogFiles;

namespace NotebookMl.Core.Predictions;

/// <summary>
/// How a shadow compares with the version that answered the same requests, from the prediction log: the rows are paired
/// by the log's entry id and row. Per output column, labels (integers, booleans, text) report the share of pairs that are
/// equal, scores (floating point) the mean and largest absolute difference. Latency is per request: the served side's
/// from the request read to the answer, the shadow's from the start of its run to its answer. Mirrors the shadow failed on
/// are counted apart, with their reasons.
/// </summary>
/// <param name="Model">The model.</param>
/// <param name="Pairs">Rows answered by both.</param>
/// <param name="ServedVersions">The versions that answered the mirrored requests.</param>
/// <param name="ShadowVersions">The shadow versions.</param>
/// <param name="Outputs">Agreement per output column.</param>
/// <param name="Served">Latency of the answers the callers got.</param>
/// <param name="Shadow">Latency of the shadow's answers.</param>
public sealed record ShadowReport(string Model, long Pairs, IReadOnlyList<int> ServedVersions, IReadOnlyList<int> ShadowVersions, IReadOnlyList<OutputAgreement> Outputs, LatencySummary Served, LatencySummary Shadow)
{
    /// <summary>Mirrored requests the shadow gave no answer to.</summary>
    public long Failed => Failures.Sum(f => f.Requests);

    /// <summary>Why the shadow failed, most frequent first: each reason with its shadow version and the requests it failed.</summary>
    public IReadOnlyList<ShadowFailure> Failures { get; init; } = [];

    /// <summary>
    /// Compares the shadow's answers of <paramref name="model"/> in <paramref name="workspace"/>'s prediction log with the
    /// served ones, for the outputs named <paramref name="outputs"/>, from <paramref name="since"/> on (null: all).
    /// </summary>
    public static ShadowReport Compute(WorkspaceLocation workspace, string model, IReadOnlyList<string> outputs, DateTimeOffset? since = null)
    {
        var empty = new ShadowReport(model, 0, [], [], [], LatencySummary.None, LatencySummary.None);
        if (Relation(workspace, model, since) is not { } relation)
        {
            return empty;
        }

        using var connection = Connect();
        var columns = Columns(connection, relation);
        var failures = columns.Any(c => c.Name == "error")
            ? Rows(connection, $"SELECT version, error, count(*) FROM {relation} WHERE route = 'shadow' AND row = 0 AND error IS NOT NULL GROUP BY ALL ORDER BY 3 DESC, 1, 2")
                .Select(r => new ShadowFailure(Convert.ToInt32(r[0], CultureInfo.InvariantCulture), (string)r[1]!, Convert.ToInt64(r[2], CultureInfo.InvariantCulture))).ToArray()
            : [];
        empty = empty with { Failures = failures };
        var compared = outputs.SelectMany(o => OutputColumns(columns, o)).ToArray();
        var pairs = $"""
            WITH log AS (SELECT * FROM {relation} WHERE {Answered(columns)}),
            pairs AS (
                SELECT v.version AS served_version, s.version AS shadow_version, v.row AS row, v.latency_ms AS served_ms, s.latency_ms AS shadow_ms
                    {string.Concat(compared.Select((c, i) => $", v.{Quote(c.Name)} AS v{i}, s.{Quote(c.Name)} AS s{i}"))}
                FROM log v JOIN log s ON v.entry = s.entry AND v.row = s.row AND v.route <> 'shadow' AND s.route = 'shadow')
            """;
        var versions = Rows(connection, $"{pairs} SELECT DISTINCT served_version, shadow_version FROM pairs ORDER BY 1, 2");
        if (versions.Count == 0)
        {
            return empty;
        }

        var agreement = string.Join(", ", compared.Select((_, i) => $"avg(CASE WHEN v{i} IS NOT DISTINCT FROM s{i} THEN 1.0 ELSE 0.0 END), avg(abs(v{i} - s{i})), max(abs(v{i} - s{i}))"));
        var latency = string.Join(", ", new[] { "served_ms", "shadow_ms" }.Select(side =>
            $"count({side}) FILTER (WHERE row = 0), avg({side}) FILTER (WHERE row = 0), quantile_cont({side}, 0.5) FILTER (WHERE row = 0), quantile_cont({side}, 0.99) FILTER (WHERE row = 0)"));
        var totals = Rows(connection, $"{pairs} SELECT count(*), {latency}{(compared.Length > 0 ? ", " + agreement : "")} FROM pairs")[0];
        var results = compared.Select((c, i) =>
        {
            var score = c.Type is "DOUBLE" or "FLOAT";
            return new OutputAgreement(c.Name, score ? "score" : "label", score ? null : Number(totals[9 + (3 * i)]), score ? Number(totals[10 + (3 * i)]) : null, score ? Number(totals[11 + (3 * i)]) : null);
        }).ToArray();
        return new ShadowReport(model, Convert.ToInt64(totals[0], CultureInfo.InvariantCulture),
            versions.Select(v => Convert.ToInt32(v[0], CultureInfo.InvariantCulture)).Distinct().ToArray(),
            versions.Select(v => Convert.ToInt32(v[1], CultureInfo.InvariantCulture)).Distinct().ToArray(),
            results, Latency(totals, 1), Latency(totals, 5)) { Failures = failures };
    }

    private static LatencySummary Latency(object?[] row, int at) =>
        new(Convert.ToInt64(row[at], CultureInfo.InvariantCulture), Number(row[at + 1]), Number(row[at + 2]), Number(row[at + 3]));

    private static double? Number(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}

/// <summary>A reason a shadow version gave no answer, and how many mirrored requests it failed for that reason.</summary>
public sealed record ShadowFailure(int Version, string Reason, long Requests);

/// <summary>One output column of a shadow comparison: for a label, the share of equal pairs; for a score, the mean and largest absolute difference.</summary>
public sealed record OutputAgreement(string Column, string Kind, double? Agreement, double? MeanAbsoluteDifference, double? MaxAbsoluteDifference);

/// <summary>Latency of a set of requests in milliseconds: count, mean, median and 99th percentile (null without requests).</summary>
public sealed record LatencySummary(long Count, double? Mean, double? P50, double? P99)
{
    /// <summary>No requests.</summary>
    public static LatencySummary None { get; } = new(0, null, null, null);
}
