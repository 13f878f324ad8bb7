using NotebookMl.Core.Drift;
using NotebookMl.Core.Registry;
using NotebookMl.Extensions.Ml.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Core.Drift.Reference;
using TextTable = NotebookMl.Extensions.Ml.Tracking.TextTable;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// A model version as <c>models register/show/archive</c> show it, a model card: lineage (run, feature views, ONNX by hash),
/// signature, metrics, aliases, and the reference statistics saved at registration when given.
/// </summary>
public sealed record ModelVersionResult(ModelVersion Version, ReferenceStatistics? Reference = null) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var v = Version;
        var overview = new Table(["key", "value"],
        [
            ["model", $"{v.Name} version {v.Version} ({v.Uri})"],
            ["description", v.Description ?? ""],
            ["status", v.Status.ToString().ToUpperInvariant()],
            ["aliases", v.Aliases.Count == 0 ? "none" : string.Join(", ", v.Aliases.Select(a => "@" + a))],
            ["run", v.RunId ?? "none (registered from a file)"],
            ["feature views", v.FeatureViews.Count == 0 ? "none" : string.Join(", ", v.FeatureViews.Select(f => $"{f.Key} v{f.Value}"))],
            ["training data", (v.Params.TryGetValue("rows_train", out var rows) ? $"{rows} rows" : "unknown rows") + (v.DatasetDigest is { } digest ? $", digest {digest[..Math.Min(12, digest.Length)]}…" : "")],
            ["tags", v.Tags.Count == 0 ? "none" : string.Join(", ", v.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"))],
            ["onnx", $"sha256 {v.OnnxSha256[..12]}…, {v.OnnxSize:N0} bytes"],
            ["reference", v.ReferenceSha256 is null ? "none saved" : $"statistics sha256 {v.ReferenceSha256[..12]}…"],
            ["prediction sample", v.SampleSha256 is null ? "none recorded (the ONNX gate cannot pass)" : $"sha256 {v.SampleSha256[..12]}…"],
            ["registered", $"{Html.Time(v.Created)} by {v.CreatedBy}"],
        ])
        { Title = $"Model {v.Name}/{v.Version}" };
        var signature = new Table(["tensor", "name", "datatype", "shape"],
            v.Signature.Inputs.Select(t => Row("input", t)).Concat(v.Signature.Outputs.Select(t => Row("output", t))).ToArray()) { Title = "Signature (from the ONNX graph)" };
        var metrics = new Table(["metric", "value"], v.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (IReadOnlyList<string>)[m.Key, Html.Number(m.Value)]).ToArray()) { Title = "Metrics (from the run)" };
        return Reference is { } reference ? [overview, signature, metrics, ReferenceTable(reference)] : [overview, signature, metrics];
    }

    /// <inheritdoc/>
    public object ToJson() => new
    {
        name = Version.Name,
        version = Version.Version,
        uri = Version.Uri,
        description = Version.Description,
        status = Version.Status.ToString().ToUpperInvariant(),
        run_id = Version.RunId,
        aliases = Version.Aliases,
        metrics = Version.Metrics,
        @params = Version.Params,
        feature_views = Version.FeatureViews,
        dataset_digest = Version.DatasetDigest,
        tags = Version.Tags,
        signature = new
        {
            inputs = Version.Signature.Inputs.Select(t => new { name = t.Name, datatype = t.DataType, shape = t.Shape }),
            outputs = Version.Signature.Outputs.Select(t => new { name = t.Name, datatype = t.DataType, shape = t.Shape }),
        },
        onnx_sha256 = Version.OnnxSha256,
        onnx_size = Version.OnnxSize,
        reference_sha256 = Version.ReferenceSha256,
        sample_sha256 = Version.SampleSha256,
        reference = Reference is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(Reference, RegistryJson.Options),
        created = Version.Created,
        created_by = Version.CreatedBy,
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() => Bundle(ToTables());

    internal static IReadOnlyList<FormattedValue> Bundle(IReadOnlyList<Table> tables, string extraHtml = "") =>
        [new FormattedValue("text/plain", string.Join("\n", tables.Select(TextTable.Render))), new FormattedValue("text/html", Charts.PlotlyHtml.Output(string.Concat(tables.Select(t => TableFormatter.ToHtml(t))) + extraHtml))];

    private static IReadOnlyList<string> Row(string kind, TensorSignature tensor) =>
        [kind, tensor.Name, tensor.DataType, "[" + string.Join(", ", tensor.Shape) + "]"];

    private static Table ReferenceTable(ReferenceStatistics reference) =>
        new(["column", "kind", "count", "nulls", "distribution"],
            reference.Inputs.Select(c => Profile("input", c)).Concat(reference.Predictions.Select(c => Profile("prediction", c))).ToArray())
        { Title = $"Reference statistics ({reference.Rows:N0} training rows)" };

    private static IReadOnlyList<string> Profile(string kind, ColumnProfile column) =>
    [
        column.Name, kind, column.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), column.Nulls.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        column.Numeric is { } n
            ? $"min {Html.Number(n.Min)}, median {Html.Number(n.Quantiles[n.Quantiles.Count / 2])}, max {Html.Number(n.Max)}; {n.Bins.Count} quantile bins"
            : column.Categorical is { } c ? $"{c.Distinct:N0} values; top: {string.Join(", ", c.Top.Take(3).Select(t => $"{t.Value} ({t.Count:N0})"))}" : "no values",
    ];
}

/// <summary>The registered models, for <c>models list</c>.</summary>
public sealed record ModelListResult(IReadOnlyList<RegisteredModel> Models) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables() =>
    [
        new Table(["model", "versions", "aliases", "description"],
            Models.Select(m => (IReadOnlyList<string>)[m.Name, m.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                string.Join(", ", m.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"@{a.Key} → {a.Value}")), m.Description ?? ""]).ToArray())
        { Title = Models.Count == 0 ? "No registered models; register one with 'models register NAME --run RUN_ID'." : "Registered models" },
    ];

    /// <inheritdoc/>
    public object ToJson() => Models.Select(m => new { name = m.Name, latest_version = m.LatestVersion, aliases = m.Aliases, description = m.Description, tags = m.Tags }).ToArray();

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() => ModelVersionResult.Bundle(ToTables());
}

/// <summary>The alias timeline of a model, for <c>models history</c> and after an alias change.</summary>
public sealed record AliasHistoryResult(string Name, IReadOnlyList<AliasChange> Changes) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables() =>
    [
        new Table(["time", "alias", "from", "to", "who", "reason", "gates"],
            Changes.Select(c => (IReadOnlyList<string>)[Html.Time(c.Time), "@" + c.Alias, Version(c.FromVersion), Version(c.ToVersion), c.Who, c.Reason ?? "",
                string.Join("; ", c.Gates.Select(g => $"{g.Gate}: {g.Value} {(g.Passed ? "ok" : "FAILED")}"))]).ToArray())
        { Title = Changes.Count == 0 ? $"No alias of {Name} has been set." : $"Alias history of {Name}, oldest first" },
    ];

    /// <inheritdoc/>
    public object ToJson() => Changes.Select(c => new
    {
        alias = c.Alias,
        from_version = c.FromVersion,
        to_version = c.ToVersion,
        time = c.Time,
        who = c.Who,
        reason = c.Reason,
        gates = c.Gates.Select(g => new { gate = g.Gate, value = g.Value, passed = g.Passed }),
    }).ToArray();

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() => ModelVersionResult.Bundle(ToTables(), AliasTimeline.Html(Changes));

    private static string Version(int? version) => version is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
}
