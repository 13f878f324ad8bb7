using System.Globalization;
using System.Text;
using System.Text.Json;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Predictions;
using NotebookMl.Extensions.Ml.Tracking;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Drift;

/// <summary>
/// A drift report as people and machines read it: in a terminal a table sorted by drift; <c>--json</c> the fixed document
/// (<c>columns[].column, method, statistic, p_value, threshold, drift</c>, <c>drift_share</c>, <c>dataset_drift</c>); in a
/// notebook (or <c>--html FILE</c>) the table and, per column, a collapsible detail with data quality and the overlaid
/// reference and current histograms, drawn when opened so a thousand columns stay a few kilobytes each.
/// </summary>
public sealed class DriftReportResult(DriftReport report, ModelPerformance? performance = null) : IVerbResult, IMimeRenderable
{
    private const int OpenedColumns = 6;

    /// <summary>The report.</summary>
    public DriftReport Report => report;

    /// <inheritdoc/>
    public IReadOnlyList<Table> ToTables() => performance is null ? [Columns()] : [Columns(), PerformanceView.Table(performance)];

    private Table Columns() =>
        new Table(["column", "kind", "method", "statistic", "p-value", "threshold", "drift", "nulls ref → cur", "out of range", "new categories"],
            report.Columns.Select(c => (IReadOnlyList<string>)
            [
                c.Column, c.Kind, DriftMethods.Name(c.Method), c.Unmeasured is null ? Number(c.Statistic) : "too few rows", Number(c.PValue), Number(c.Threshold), c.Drift ? "DRIFT" : "no",
                $"{Share(c.Quality.ReferenceNullShare)} → {Share(c.Quality.CurrentNullShare)}",
                c.Quality.OutOfRangeShare is { } outside ? Share(outside) : "",
                c.Quality.NewCategories.Count == 0 ? "" : $"{Share(c.Quality.NewCategoryShare)}: {string.Join(", ", c.Quality.NewCategories.Take(3))}{(c.Quality.NewCategories.Count > 3 ? ", …" : "")}",
            ]).ToArray())
        {
            Title = Summary(),
        };

    /// <inheritdoc/>
    public object ToJson() => new
    {
        reference = report.Reference,
        current = report.Current,
        columns = report.Columns.Select(c => new
        {
            column = c.Column,
            method = DriftMethods.Name(c.Method),
            statistic = c.Statistic,
            p_value = c.PValue,
            threshold = c.Threshold,
            drift = c.Drift,
            unmeasured = c.Unmeasured,
            kind = c.Kind,
            quality = new
            {
                reference_rows = c.Quality.ReferenceRows, current_rows = c.Quality.CurrentRows,
                reference_null_share = c.Quality.ReferenceNullShare, current_null_share = c.Quality.CurrentNullShare,
                out_of_range_share = c.Quality.OutOfRangeShare, new_categories = c.Quality.NewCategories, new_category_share = c.Quality.NewCategoryShare,
            },
            histogram = new { bins = c.Histogram.Bins, reference = c.Histogram.Reference, current = c.Histogram.Current },
        }),
        drift_share = report.DriftShare,
        dataset_drift = report.DatasetDrift,
        dataset_threshold = report.DatasetThreshold,
        performance = performance is null ? null : PerformanceView.Json(performance),
    };

    /// <inheritdoc/>
    public IReadOnlyList<FormattedValue> ToMimeBundle() =>
    [
        new("text/plain", string.Join("\n", ToTables().Select(TextTable.Render))),
        new("text/html", Charts.PlotlyHtml.Output(ToHtml())),
    ];

    /// <summary>A standalone page (plotly.js inside), for <c>--html FILE</c>.</summary>
    public string ToDocument() => Charts.PlotlyHtml.Document("Drift report", ToHtml());

    /// <summary>The summary line, the table and one collapsible detail per column.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"notebookml-drift\"><p><b>{Html.Encode(Summary())}</b></p>");
        html.Append(TableFormatter.ToHtml(Columns() with { Title = null }));
        if (performance is not null)
        {
            html.Append(TableFormatter.ToHtml(PerformanceView.Table(performance)));
        }

        var opened = 0;
        foreach (var column in report.Columns)
        {
            var open = column.Drift && opened++ < OpenedColumns;
            var verdict = column.Drift ? "<span style=\"color:#c0392b\">drift</span>" : "no drift";
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"notebookml-drift-column\"{(open ? " open" : "")}><summary><b>{Html.Encode(column.Column)}</b>: {verdict} — {DriftMethods.Name(column.Method)} {Number(column.Statistic)}");
            if (column.PValue is { } p)
            {
                html.Append(CultureInfo.InvariantCulture, $", p = {Number(p)}");
            }

            html.Append(CultureInfo.InvariantCulture, $" (threshold {Number(column.Threshold)})</summary>");
            var q = column.Quality;
            html.Append(CultureInfo.InvariantCulture, $"<p>{q.ReferenceRows:N0} reference rows, {q.CurrentRows:N0} current rows; missing {Share(q.ReferenceNullShare)} → {Share(q.CurrentNullShare)}");
            if (q.OutOfRangeShare is { } outside)
            {
                html.Append(CultureInfo.InvariantCulture, $"; outside the reference range {Share(outside)}");
            }

            if (q.NewCategories.Count > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"; new categories ({Share(q.NewCategoryShare)}): {Html.Encode(string.Join(", ", q.NewCategories))}");
            }

            html.Append("</p>");
            html.Append(Charts.PlotlyHtml.RenderFigure(Histogram(column), whenOpened: true));
            html.Append("</details>");
        }

        return html.Append("</div>").ToString();
    }

    private string Summary()
    {
        var drifted = report.Columns.Count(c => c.Drift);
        var unmeasured = report.Columns.Where(c => c.Unmeasured is not null).ToArray();
        return $"Drift of {report.Current} from {report.Reference}: {drifted} of {report.Columns.Count} columns drifted ({Share(report.DriftShare)}); " +
            $"dataset drift: {(report.DatasetDrift ? "YES" : "no")} (at {Share(report.DatasetThreshold)} of columns)" +
            (unmeasured.Length == 0 ? "" : $"; NOT MEASURED: {unmeasured.Length} column{(unmeasured.Length > 1 ? "s" : "")}, e.g. {unmeasured[0].Unmeasured}");
    }

    private static string Histogram(ColumnDrift column)
    {
        object Trace(string name, IReadOnlyList<double> shares, string color) => new
        {
            type = "bar", name, x = column.Histogram.Bins, y = shares, opacity = 0.6, marker = new { color },
        };
        var figure = new
        {
            data = new[] { Trace("reference", column.Histogram.Reference, "#1f77b4"), Trace("current", column.Histogram.Current, "#ff7f0e") },
            layout = new
            {
                barmode = "overlay", width = 640, height = 280, margin = new { l = 50, r = 10, t = 30, b = 60 },
                title = new { text = $"{column.Column}: share of values per {(column.Kind == "numeric" ? "reference-quantile bin" : "category")}" },
                xaxis = new { type = "category" }, yaxis = new { tickformat = ".0%" },
            },
            config = new { responsive = true, displaylogo = false },
        };
        return JsonSerializer.Serialize(figure);
    }

    private static string Number(double? value) => value is { } v ? Html.Number(v) : "";

    private static string Share(double value) => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
