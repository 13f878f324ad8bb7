using NotebookMl.Core.Options;

namespace NotebookMl.Core.Drift;

/// <summary>How drift is computed; validated by <see cref="Validate"/> before any data is read.</summary>
public sealed record DriftOptions
{
    /// <summary>The default share of drifted columns at which the data set drifts.</summary>
    public const double DefaultDatasetThreshold = 0.5;

    /// <summary>The columns to compare; null: every numeric and categorical column of the reference.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The method for every column not in <see cref="ColumnMethods"/>.</summary>
    public DriftMethod Method { get; init; } = DriftMethod.Auto;

    /// <summary>Methods for single columns.</summary>
    public IReadOnlyDictionary<string, DriftMethod> ColumnMethods { get; init; } = new Dictionary<string, DriftMethod>();

    /// <summary>The threshold for every column not in <see cref="ColumnThresholds"/>; null: each method's default.</summary>
    public double? Threshold { get; init; }

    /// <summary>Thresholds for single columns.</summary>
    public IReadOnlyDictionary<string, double> ColumnThresholds { get; init; } = new Dictionary<string, double>();

    /// <summary>The share of drifted columns at which the data set drifts.</summary>
    public double DatasetThreshold { get; init; } = DefaultDatasetThreshold;

    /// <summary>Quantile steps for the PSI and Jensen–Shannon bins of numeric columns (a divisor of 100 for a saved reference).</summary>
    public int Bins { get; init; } = 10;

    /// <summary>The rows with values the current side of each column needs before it is measured; null: see <see cref="MinRowsPerBin"/>.</summary>
    public int? MinRows { get; init; }

    /// <summary>
    /// Without <see cref="MinRows"/>: the current rows with values a binned statistic (PSI, Jensen–Shannon, χ²) needs per bin or
    /// category; null: no minimum. A column with fewer is not measured, and says how many it needs.
    /// </summary>
    public int? MinRowsPerBin { get; init; }

    /// <summary>The rows a binned statistic needs per bin wherever a minimum applies by default (the drift gate, the trigger, <c>drift model</c>).</summary>
    public const int DefaultMinRowsPerBin = 10;

    /// <summary>Checks every setting; throws <see cref="InvalidOptionException"/> naming the first that is unusable.</summary>
    public DriftOptions Validate()
    {
        if (Columns is { Count: 0 })
        {
            throw new InvalidOptionException(nameof(Columns), "name at least one column.");
        }

        if (Columns?.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOptionException(nameof(Columns), $"column '{twice.Key}' is named twice.");
        }

        foreach (var (column, value) in ColumnThresholds.Select(t => ((string?)t.Key, t.Value)).Prepend((null, Threshold ?? 0.5)))
        {
            if (!(value > 0 && value < double.PositiveInfinity))
            {
                throw new InvalidOptionException(nameof(Threshold), $"{(column is null ? "" : $"column '{column}': ")}{value} is not a usable threshold; expected a number above 0 (a p-value such as 0.05, or a distance such as 0.1).");
            }
        }

        if (!(DatasetThreshold > 0 && DatasetThreshold <= 1))
        {
            throw new InvalidOptionException(nameof(DatasetThreshold), $"{DatasetThreshold} is not a share; expected more than 0 and at most 1.");
        }

        if (MinRows is < 1 || MinRowsPerBin is < 1)
        {
            throw new InvalidOptionException(MinRows is < 1 ? nameof(MinRows) : nameof(MinRowsPerBin), $"{MinRows ?? MinRowsPerBin} rows; expected at least 1.");
        }

        if (Bins is < 2 or > 100)
        {
            throw new InvalidOptionException(nameof(Bins), $"{Bins} quantile steps; expected 2 to 100.");
        }

        return this;
    }

    /// <summary>The method asked for <paramref name="column"/>.</summary>
    public DriftMethod MethodFor(string column) => ColumnMethods.TryGetValue(column, out var method) ? method : Method;

    /// <summary>The threshold for <paramref name="column"/> measured with <paramref name="method"/>.</summary>
    public double ThresholdFor(string column, DriftMethod method) =>
        ColumnThresholds.TryGetValue(column, out var threshold) ? threshold : Threshold ?? DriftMethods.DefaultThreshold(method);
}
