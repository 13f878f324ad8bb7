using NotebookMl.Core.Registry;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>The alias history as a chart: for each alias, which version it pointed at over time (a step line; a gap where it was deleted).</summary>
internal static class AliasTimeline
{
    public static string Html(IReadOnlyList<AliasChange> changes)
    {
        if (changes.Count == 0)
        {
            return "";
        }

        var lines = changes.GroupBy(c => c.Alias).OrderBy(g => g.Key, StringComparer.Ordinal).Select(alias =>
        {
            var points = Steps(alias.ToArray());
            return CSharpChart.Line<DateTime, double, string>(x: points.Select(p => p.Time), y: points.Select(p => p.Version), Name: "@" + alias.Key, ShowMarkers: true);
        });
        var chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(CSharpChart.Combine(lines), 720, 300);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<int, int, string>(chart, TitleText: "version");
        return "<h4>Which version each alias pointed at</h4>" + Charts.PlotlyHtml.Render(chart);
    }

    // A step line: the previous version holds until the moment of each change.
    private static List<(DateTime Time, double Version)> Steps(AliasChange[] changes)
    {
        var points = new List<(DateTime, double)>();
        for (var i = 0; i < changes.Length; i++)
        {
            var time = changes[i].Time.UtcDateTime;
            if (i > 0 && changes[i - 1].ToVersion is { } previous)
            {
                points.Add((time, previous));
            }

            points.Add((time, changes[i].ToVersion is { } v ? v : double.NaN));
        }

        return points;
    }
}
