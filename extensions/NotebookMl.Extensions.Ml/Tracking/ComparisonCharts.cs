using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.TraceObjects;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NotebookMl.Extensions.Ml.Tracking;

/// <summary>The charts of a run comparison, as embeddable HTML (Plotly.NET): one overlay per metric with a history, and parallel coordinates of numeric params and metrics.</summary>
internal static class ComparisonCharts
{
    public static IEnumerable<string> Build(RunComparison comparison)
    {
        foreach (var (key, histories) in comparison.Histories)
        {
            if (histories.All(h => h.Count < 2))
            {
                continue;
            }

            var lines = comparison.Runs.Select((run, i) => CSharpChart.Line<long, double, string>(
                x: histories[i].Select(p => p.Step),
                y: histories[i].Select(p => p.Value),
                Name: RunComparison.Label(run),
                ShowMarkers: histories[i].Count < 50));
            var chart = Plotly.NET.CSharp.GenericChartExtensions.WithSize(CSharpChart.Combine(lines), 720, 360);
            yield return $"<h4>{Html.Encode(key)} by step</h4>" + Charts.PlotlyHtml.Render(chart);
        }

        if (Parallel(comparison) is { } parallel)
        {
            yield return "<h4>Params and metrics by run</h4>" + Charts.PlotlyHtml.Render(parallel);
        }
    }

    private static GenericChart? Parallel(RunComparison comparison)
    {
        var runs = comparison.Runs;
        var dimensions = new List<Dimension>();
        foreach (var key in runs.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var values = runs.Select(r => double.TryParse(r.Params.GetValueOrDefault(key), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
            if (values.All(double.IsFinite))
            {
                dimensions.Add(Dimension(key, values));
            }
        }

        foreach (var key in runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var values = runs.Select(r => r.Metrics.TryGetValue(key, out var v) ? v : double.NaN).ToArray();
            if (values.All(double.IsFinite))
            {
                dimensions.Add(Dimension(key, values));
            }
        }

        return dimensions.Count < 2 ? null : Plotly.NET.CSharp.GenericChartExtensions.WithSize(CSharpChart.ParallelCoord(dimensions), 720, 360);
    }

    private static Dimension Dimension(string label, double[] values) =>
        // F# optional parameters, positionally: constraint range, label, multi-select, name, range,
        // template item name, tick mode, tick text, tick values, values, encoded values, visible.
        Plotly.NET.TraceObjects.Dimension.initParallel<string, string, double, double>(
            null, FSharpOption<string>.Some(label), null, null, null, null, null, null, null, FSharpOption<IEnumerable<double>>.Some(values), null, null);
}
