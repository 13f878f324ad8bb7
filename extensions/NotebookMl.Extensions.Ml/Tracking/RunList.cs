using NotebookMl.Core.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>
/// The result of <c>runs list</c>. In a terminal, the columns that matter: run (8-character id), name, status, started,
/// duration, then the metrics, the primary one first (the one ordered by, else the test metrics), then the params; a
/// narrow terminal leaves out the last ones and says so. <paramref name="Columns"/> picks the columns instead, and
/// <paramref name="Wide"/> shows every one at full width. Notebooks and <c>--json</c> get every param and metric.
/// </summary>
/// <param name="Runs">The runs.</param>
/// <param name="Columns">The columns asked for (<c>params.x</c>, <c>metrics.y</c>, <c>tags.z</c>, <c>experiment</c>, …), or null for the default choice.</param>
/// <param name="Wide">Every column, at full width.</param>
/// <param name="Primary">The metric ordered by, shown first among the metrics.</param>
public sealed record RunList(IReadOnlyList<RunSummary> Runs, IReadOnlyList<string>? Columns = null, bool Wide = false, string? Primary = null) : IVerbResult, IMimeRenderable
{
    private static readonly string[] s_attributes = ["experiment", "name", "status", "started", "ended", "duration"];

    /// <summary>Every column a run list can show: the attributes, then params.KEY, metrics.KEY and tags.KEY of these runs.</summary>
    public IReadOnlyList<string> Available =>
        [.. s_attributes, .. Keys(r => r.Params.Keys).Select(k => "params." + k), .. Keys(r => r.Metrics.Keys).Select(k => "metrics." + k), .. Keys(r => r.Tags.Keys).Select(k => "tags." + k)];

    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var title = Runs.Count == 0 ? "No runs." : $"{Runs.Count} run(s), newest first unless ordered";
        if (Wide)
        {
            return [Build(Full(), title) with { Wide = true }];
        }

        if (Columns is { Count: > 0 } asked)
        {
            if (asked.FirstOrDefault(c => !Available.Contains(c)) is { } unknown && Runs.Count > 0)
            {
                throw new ArgumentException($"--columns: no run here has '{unknown}'; columns: {string.Join(", ", Available)}.");
            }

            return [Build(["run", .. asked], title)];
        }

        // The metrics first, the primary one leading; then the params. A narrow terminal drops from the right.
        var metrics = Keys(r => r.Metrics.Keys).OrderBy(Rank).ThenBy(k => k, StringComparer.Ordinal).Select(k => "metrics." + k).ToArray();
        string[] columns = ["run", "name", "status", "started", "duration", .. metrics, .. Keys(r => r.Params.Keys).Select(k => "params." + k)];
        return [Build(columns, title) with { Essential = 5 + Math.Min(1, metrics.Length), MoreColumns = "--wide shows every column; --columns picks them" }];
    }

    /// <inheritdoc/>
    public object ToJson() => Runs.Select(r => new
    {
        id = r.Id,
        experiment = r.Experiment,
        name = r.Name,
        status = r.Status.ToString().ToUpperInvariant(),
        started = r.Started,
        ended = r.Ended,
        @params = r.Params,
        metrics = r.Metrics,
        tags = r.Tags,
    }).ToArray();

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle()
    {
        var table = Build(Full(), Runs.Count == 0 ? "No runs." : $"{Runs.Count} run(s), newest first unless ordered");
        return [new FormattedValue("text/plain", TextTable.Render(table)), new FormattedValue("text/html", TableFormatter.ToHtml(table))];
    }

    private string[] Full() => ["run", "experiment", "name", "status", "started", "duration", .. Keys(r => r.Params.Keys).Select(k => "params." + k), .. Keys(r => r.Metrics.Keys).Select(k => "metrics." + k)];

    private Table Build(IReadOnlyList<string> columns, string title) =>
        new(columns, Runs.Select(r => (IReadOnlyList<string>)columns.Select(c => Cell(r, c)).ToArray()).ToArray()) { Title = title };

    private static string Cell(RunSummary run, string column) => column switch
    {
        "run" => run.Id[..8],
        "experiment" => run.Experiment,
        "name" => run.Name,
        "status" => run.Status.ToString().ToUpperInvariant(),
        "started" => Html.Time(run.Started),
        "ended" => run.Ended is { } ended ? Html.Time(ended) : "",
        "duration" => Html.Duration(run.Duration),
        _ when column.StartsWith("params.", StringComparison.Ordinal) => run.Params.GetValueOrDefault(column["params.".Length..], ""),
        _ when column.StartsWith("metrics.", StringComparison.Ordinal) => run.Metrics.TryGetValue(column["metrics.".Length..], out var value) ? Html.Number(value) : "",
        _ when column.StartsWith("tags.", StringComparison.Ordinal) => run.Tags.GetValueOrDefault(column["tags.".Length..], ""),
        _ => "",
    };

    // The metric ordered by; then the test metric a model is judged on (AUC, RMSE); the other test metrics; the rest.
    private int Rank(string metric) => metric == Primary ? 0 : metric is "test_auc" or "test_rmse" or "test_accuracy_multiclass" ? 1 : metric.StartsWith("test_", StringComparison.Ordinal) ? 2 : 3;

    private string[] Keys(Func<RunSummary, IEnumerable<string>> keys) => Runs.SelectMany(keys).Distinct().Order(StringComparer.Ordinal).ToArray();
}
