using System.Globalization;
using System.Net;
using System.Text;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Verbs.Progress;

/// <summary>
/// Progress in a notebook: one display, updated in place (at most 5 times a second), with a progress bar,
/// the stage, and each reported metric as a small line chart (inline SVG, so it renders offline).
/// </summary>
public sealed class ProgressDisplay : IProgress<ProgressUpdate>
{
    private readonly string _title;
    private readonly Action<IMimeRenderable> _update;
    private readonly TimeProvider _timeProvider;

    /// <summary>
    /// A progress display over any host's display: <paramref name="update"/> replaces its output (in
    /// .NET Interactive, a <c>DisplayedValueUpdated</c>); see <see cref="Starting"/> for the first one.
    /// </summary>
    public ProgressDisplay(string title, Action<IMimeRenderable> update, TimeProvider timeProvider) =>
        (_title, _update, _timeProvider) = (title, update, timeProvider);

    /// <summary>
    /// Shows an empty progress display in the running cell's output, whichever host runs the cell: through the Formatting
    /// library's <c>Display()</c>, which our kernel and .NET Interactive both show and update in place.
    /// </summary>
    public static ProgressDisplay Start(string title, TimeProvider? timeProvider = null)
    {
        MimeFormatters.Register();
        var shown = Starting(title).Display("text/html", "text/plain");
        return new(title, r => shown.Update(r), timeProvider ?? TimeProvider.System);
    }

    /// <summary>What a progress display shows before the first report.</summary>
    public static IMimeRenderable Starting(string title) =>
        new Rendering($"<div class=\"notebookml-progress\"><b>{WebUtility.HtmlEncode(title)}</b> starting…</div>");

    private readonly Dictionary<string, List<(double Step, double Value)>> _curves = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private ProgressUpdate _last = new("starting", 0);
    private long _shown;

    /// <inheritdoc/>
    public void Report(ProgressUpdate value)
    {
        lock (_gate)
        {
            _last = value;
            if (value.Metric is { } metric)
            {
                (_curves.TryGetValue(metric, out var points) ? points : _curves[metric] = []).Add((value.Step, value.Value));
            }

            var now = _timeProvider.GetTimestamp();
            if (value.Fraction < 1 && value.Metric is null && _timeProvider.GetElapsedTime(_shown, now) < TimeSpan.FromMilliseconds(200))
            {
                return;
            }

            _shown = now;
            _update(new Rendering(Html()));
        }
    }

    /// <summary>The final state, whatever the throttle skipped.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _update(new Rendering(Html()));
        }
    }

    private string Html()
    {
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<div class=\"notebookml-progress\"><b>{WebUtility.HtmlEncode(_title)}</b> ");
        html.Append(CultureInfo.InvariantCulture, $"<progress value=\"{_last.Fraction:0.###}\" max=\"1\" style=\"width:240px\"></progress> {_last.Fraction:P0} {WebUtility.HtmlEncode(_last.Stage)}");
        foreach (var (metric, points) in _curves)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div><small>{WebUtility.HtmlEncode(metric)}: {points[^1].Value:0.####} at {points[^1].Step:0.##}</small><br/>{Svg(points)}</div>");
        }

        return html.Append("</div>").ToString();
    }

    private static string Svg(List<(double Step, double Value)> points)
    {
        const double width = 320, height = 90, pad = 4;
        var (minX, maxX) = (points.Min(p => p.Step), points.Max(p => p.Step));
        var (minY, maxY) = (points.Min(p => p.Value), points.Max(p => p.Value));
        double X(double x) => pad + ((maxX > minX ? (x - minX) / (maxX - minX) : 0.5) * (width - (2 * pad)));
        double Y(double y) => height - pad - ((maxY > minY ? (y - minY) / (maxY - minY) : 0.5) * (height - (2 * pad)));
        var line = string.Join(" ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Step):0.#},{Y(p.Value):0.#}")));
        return string.Create(CultureInfo.InvariantCulture, $"<svg width=\"{width}\" height=\"{height}\" style=\"border:1px solid #ddd\"><polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{line}\"/></svg>");
    }

    /// <summary>HTML that goes out as it is.</summary>
    public sealed record Rendering(string Html) : IMimeRenderable
    {
        /// <inheritdoc/>
        public IReadOnlyList<FormattedValue> ToMimeBundle() => [new("text/html", Html), new("text/plain", "(progress)")];
    }
}
