using NotebookMl.Core.Options;
using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Promotion;

/// <summary>
/// The gates a promotion to one alias must pass, written once per model and alias (in <c>notebookml.yaml</c>
/// under <c>registry: gates:</c>, or with <see cref="ModelRegistry.SetPolicy"/>) so that no caller, a scheduled
/// pipeline included, can skip them. Checked when built.
/// </summary>
public sealed record PromotionPolicy
{
    /// <summary>
    /// A policy of <paramref name="require"/> metric gates and an optional drift limit, measured over the last
    /// <paramref name="driftWindow"/> of served traffic (default: a day) once each input has <paramref name="driftMinRows"/>
    /// rows with values in it (default: 10 per bin of the input).
    /// </summary>
    public PromotionPolicy(IReadOnlyList<string> require, double? maxDrift = null, TimeSpan? driftWindow = null, int? driftMinRows = null)
    {
        Require = require.Select(r => GateExpression.Parse(r, nameof(require))).ToArray();
        if (maxDrift is { } drift && (double.IsNaN(drift) || drift < 0))
        {
            throw new InvalidOptionException(nameof(maxDrift), $"{drift} is not a drift limit; expected a PSI of 0 or more (e.g. 0.2).");
        }

        if (driftWindow is { } window && (window <= TimeSpan.Zero || maxDrift is null))
        {
            throw new InvalidOptionException(nameof(driftWindow), maxDrift is null
                ? "a drift window needs a drift limit (maxDrift) to apply to."
                : $"{window} is not a window; expected a positive duration such as 1d or 7d.");
        }

        if (driftMinRows is { } rows && (rows < 1 || maxDrift is null))
        {
            throw new InvalidOptionException(nameof(driftMinRows), maxDrift is null
                ? "a drift gate's minimum rows need a drift limit (maxDrift) to apply to."
                : $"{rows} rows; expected at least 1.");
        }

        MaxDrift = maxDrift;
        DriftWindow = driftWindow;
        DriftMinRows = driftMinRows;
    }

    /// <summary>Metric gates, all of which must hold.</summary>
    public IReadOnlyList<GateExpression> Require { get; }

    /// <summary>The largest drift (PSI) allowed, or null for no drift gate.</summary>
    public double? MaxDrift { get; }

    /// <summary>How much recent traffic the drift gate compares with; null: the default day.</summary>
    public TimeSpan? DriftWindow { get; }

    /// <summary>The rows with values each input needs before the drift gate judges it; null: 10 per bin (or category) of the input.</summary>
    public int? DriftMinRows { get; }

    /// <summary>No gates.</summary>
    public static PromotionPolicy None { get; } = new([]);

    /// <summary>Both policies' gates (each once), the stricter drift limit, the longer drift window and the larger minimum of rows.</summary>
    public PromotionPolicy And(PromotionPolicy other) =>
        new(Require.Concat(other.Require).Select(g => g.Text).Distinct(StringComparer.Ordinal).ToArray(),
            (MaxDrift, other.MaxDrift) switch { ({ } a, { } b) => Math.Min(a, b), (var a, var b) => a ?? b },
            (DriftWindow, other.DriftWindow) switch { ({ } a, { } b) => a > b ? a : b, (var a, var b) => a ?? b },
            (DriftMinRows, other.DriftMinRows) switch { ({ } a, { } b) => Math.Max(a, b), (var a, var b) => a ?? b });

    /// <summary>True when there is nothing to check.</summary>
    public bool IsEmpty => Require.Count == 0 && MaxDrift is null;
}
