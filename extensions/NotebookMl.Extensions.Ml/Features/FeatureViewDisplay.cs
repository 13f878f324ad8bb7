using System.Globalization;
using System.Text;
using NotebookMl.Core.Features;
using NotebookMl.Extensions.Ml.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Features;

/// <summary>A feature view shown: its definition, schema and per-feature statistics with a small histogram.</summary>
public sealed record FeatureViewDisplay(FeatureViewDescription Description) : IVerbResult, IMimeRenderable
{
    private static readonly char[] s_bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables()
    {
        var view = Description.Info.View;
        var overview = new Table(["key", "value"],
        [
            ["view", $"{view.Name} (version {Description.Info.Version})"],
            ["entities", $"{string.Join(", ", view.Entities)} (keys: {string.Join(", ", Description.Info.JoinKeys)})"],
            ["source", view.Source],
            ["ttl", view.Ttl is { } ttl ? Core.Time.Durations.Format(ttl) : "none"],
            ["rows", Description.Rows.ToString("N0", CultureInfo.InvariantCulture)],
            ["event time", $"{Description.FirstEvent:yyyy-MM-dd HH:mm:ss} .. {Description.LastEvent:yyyy-MM-dd HH:mm:ss}"],
        ])
        { Title = view.Description ?? $"Feature view {view.Name}" };
        var scale = Scale;
        var features = new Table(["feature", "type", "nulls", "min", "max", "mean", "histogram"],
            Description.Features.Select(f => (IReadOnlyList<string>)
            [
                f.Feature.Name, f.Feature.Type.ToString().ToLowerInvariant(), f.Nulls.ToString(CultureInfo.InvariantCulture), f.Min ?? "", f.Max ?? "",
                f.Mean is { } m ? m.ToString("G6", CultureInfo.InvariantCulture) : "", Sparkline(f.Histogram, scale),
            ]).ToArray())
        { Title = "Features" };
        return [overview, features];
    }

    /// <inheritdoc/>
    public object ToJson() => new
    {
        view = Description.Info.View.Name,
        version = Description.Info.Version,
        entities = Description.Info.View.Entities,
        join_keys = Description.Info.JoinKeys,
        source = Description.Info.View.Source,
        ttl_seconds = Description.Info.View.Ttl?.TotalSeconds,
        rows = Description.Rows,
        first_event = Description.FirstEvent,
        last_event = Description.LastEvent,
        features = Description.Features.Select(f => new
        {
            name = f.Feature.Name,
            type = f.Feature.Type.ToString().ToLowerInvariant(),
            nulls = f.Nulls,
            min = f.Min,
            max = f.Max,
            mean = f.Mean,
            histogram = f.Histogram,
            histogram_labels = f.HistogramLabels,
        }),
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle()
    {
        var tables = ToTables();
        var html = new StringBuilder(TableFormatter.ToHtml(tables[0]));
        html.Append("<table class=\"notebookml-table\"><caption style=\"text-align:left;font-weight:bold\">Features</caption><thead><tr>");
        foreach (var column in tables[1].Columns)
        {
            html.Append("<th>").Append(Html.Encode(column)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        var scale = Scale;
        foreach (var (row, stats) in tables[1].Rows.Zip(Description.Features))
        {
            html.Append("<tr>");
            foreach (var cell in row.Take(row.Count - 1))
            {
                html.Append("<td>").Append(Html.Encode(cell)).Append("</td>");
            }

            html.Append("<td>").Append(Svg(stats, scale)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        return [new FormattedValue("text/plain", string.Join("\n", tables.Select(TextTable.Render))), new FormattedValue("text/html", html.ToString())];
    }

    /// <summary>The largest bucket of any feature: every histogram of the table is drawn on this one scale, so bars compare across features.</summary>
    private long Scale => Description.Features.SelectMany(f => f.Histogram).DefaultIfEmpty(0).Max();

    private static string Sparkline(IReadOnlyList<long> counts, long max) =>
        counts.Sum() == 0 ? "" : new string(counts.Select(c => c == 0 ? ' ' : s_bars[(int)Math.Min(s_bars.Length - 1, c * s_bars.Length / (max + 1))]).ToArray());

    private static string Svg(FeatureStatistics stats, long max)
    {
        if (stats.Histogram.Sum() == 0)
        {
            return "";
        }

        var svg = new StringBuilder("<svg width=\"120\" height=\"30\" role=\"img\">");
        for (var i = 0; i < stats.Histogram.Count; i++)
        {
            var height = Math.Max(1, stats.Histogram[i] * 28.0 / max);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * 12}\" y=\"{30 - height:0.#}\" width=\"10\" height=\"{height:0.#}\" fill=\"#4c78a8\"><title>{Html.Encode(stats.HistogramLabels[i])}: {stats.Histogram[i]}</title></rect>");
        }

        return svg.Append("</svg>").ToString();
    }
}
