using System.Globalization;
using System.Text;
using NotebookMl.Core.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>The result of <c>runs show ID</c>: everything one run recorded.</summary>
public sealed record RunShow(RunDetails Run) : IVerbResult, IMimeRenderable
{
    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var s = Run.Summary;
        var overview = new (string, string)[]
        {
            ("id", s.Id), ("experiment", s.Experiment), ("name", s.Name), ("status", s.Status.ToString().ToUpperInvariant()),
            ("started", Html.Time(s.Started)), ("ended", Html.Time(s.Ended)), ("duration", Html.Duration(s.Duration)),
            ("git", Run.GitCommit is null ? "not in a git repository" : Run.GitCommit + (Run.GitDirty == true ? " (dirty)" : "")),
            ("notebook", Run.Source.Notebook ?? ""), ("cell", Run.Source.Cell ?? ""), ("host", $"{Run.Host}, pid {Run.ProcessId}"),
        };
        return
        [
            Pairs($"Run {s.Name}", overview),
            Pairs("Params", s.Params.Select(p => (p.Key, p.Value))),
            Pairs("Metrics (latest)", s.Metrics.Select(p => (p.Key, Html.Number(p.Value)))),
            Pairs("Tags", s.Tags.Select(p => (p.Key, p.Value))),
            new Table(["path", "sha256", "bytes"], Run.Artifacts.Select(a => (IReadOnlyList<string>)[a.Path, a.Sha256, a.Size.ToString(CultureInfo.InvariantCulture)]).ToArray()) { Title = "Artifacts" },
            new Table(["name", "digest", "source", "schema", "context"], Run.Inputs.Select(i => (IReadOnlyList<string>)[i.Name, i.Digest, i.Source, i.Schema ?? "", i.Context ?? ""]).ToArray()) { Title = "Dataset inputs" },
            Pairs("Environment", Run.Environment.Select(p => (p.Key, p.Value))),
        ];
    }

    /// <inheritdoc/>
    public object ToJson() => new
    {
        id = Run.Summary.Id,
        experiment = Run.Summary.Experiment,
        name = Run.Summary.Name,
        status = Run.Summary.Status.ToString().ToUpperInvariant(),
        started = Run.Summary.Started,
        ended = Run.Summary.Ended,
        git_commit = Run.GitCommit,
        git_dirty = Run.GitDirty,
        notebook = Run.Source.Notebook,
        cell = Run.Source.Cell,
        host = Run.Host,
        pid = Run.ProcessId,
        @params = Run.Summary.Params,
        metrics = Run.Summary.Metrics,
        tags = Run.Summary.Tags,
        artifacts = Run.Artifacts.Select(a => new { path = a.Path, sha256 = a.Sha256, size = a.Size }),
        inputs = Run.Inputs.Select(i => new { name = i.Name, digest = i.Digest, source = i.Source, schema = i.Schema, context = i.Context }),
        environment = Run.Environment,
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle()
    {
        var tables = ToTables().Where(t => t.Rows.Count > 0).ToArray();
        var html = new StringBuilder("<div class=\"notebookml-run\">");
        foreach (var table in tables)
        {
            html.Append(TableFormatter.ToHtml(table));
        }

        return [new FormattedValue("text/plain", string.Join("\n", tables.Select(TextTable.Render))), new FormattedValue("text/html", html.Append("</div>").ToString())];
    }

    private static Table Pairs(string title, IEnumerable<(string Key, string Value)> pairs) =>
        new(["key", "value"], pairs.Select(p => (IReadOnlyList<string>)[p.Key, p.Value]).ToArray()) { Title = title };
}
