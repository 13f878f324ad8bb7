namespace NotebookMl.Core.Drift;

/// <summary>The drift of one column.</summary>
/// <param name="Column">The column.</param>
/// <param name="Kind"><c>numeric</c> or <c>categorical</c>.</param>
/// <param name="Method">The method used (after the <c>auto</c> choice).</param>
/// <param name="Statistic">The statistic or distance; null when a side has no values.</param>
/// <param name="PValue">The p-value of a test; null for a distance.</param>
/// <param name="Threshold">The threshold: a p-value for a test (drift below it), a distance otherwise (drift at or above it).</param>
/// <param name="Drift">True when the column drifted.</param>
/// <param name="Quality">Data quality of the current side against the reference.</param>
/// <param name="Histogram">Both sides' shares per bin or category, for charts.</param>
public sealed record ColumnDrift(string Column, string Kind, DriftMethod Method, double? Statistic, double? PValue, double Threshold, bool Drift, ColumnQuality Quality, DriftHistogram Histogram)
{
    /// <summary>How many bins (numeric) or categories the statistic was computed over (the histogram may show fewer).</summary>
    public int Bins { get; init; }

    /// <summary>Why the column has no statistic although both sides have values (too few rows to estimate it), or null.</summary>
    public string? Unmeasured { get; init; }

    /// <summary>The current side's rows with a value.</summary>
    public long CurrentValues => (long)Math.Round(Quality.CurrentRows * (1 - Quality.CurrentNullShare));
}

/// <summary>
/// Evidently-style data quality of one column: how many rows each side has, the share of missing values, current values
/// outside the reference's range (numeric) and categories the reference never had.
/// </summary>
/// <param name="ReferenceRows">The reference's rows.</param>
/// <param name="CurrentRows">The current side's rows.</param>
/// <param name="ReferenceNullShare">The reference's share of missing values.</param>
/// <param name="CurrentNullShare">The current side's share of missing values.</param>
/// <param name="OutOfRangeShare">The share of current values below the reference's minimum or above its maximum (numeric only).</param>
/// <param name="NewCategories">Current categories absent from the reference (at most 20 listed; categorical only).</param>
/// <param name="NewCategoryShare">The share of current values in categories absent from the reference.</param>
public sealed record ColumnQuality(long ReferenceRows, long CurrentRows, double ReferenceNullShare, double CurrentNullShare, double? OutOfRangeShare, IReadOnlyList<string> NewCategories, double NewCategoryShare);

/// <summary>Both sides' shares of their present values per bin (numeric) or category (the 30 most frequent, then the rest).</summary>
/// <param name="Bins">The bins' or categories' labels.</param>
/// <param name="Reference">The reference's shares.</param>
/// <param name="Current">The current side's shares.</param>
public sealed record DriftHistogram(IReadOnlyList<string> Bins, IReadOnlyList<double> Reference, IReadOnlyList<double> Current);

/// <summary>A drift report: every column, the share that drifted and whether that makes the data set drift.</summary>
/// <param name="Reference">What the reference was (a file, a query, a model's reference statistics…).</param>
/// <param name="Current">What the current data was.</param>
/// <param name="Columns">Every column compared, most drifted first.</param>
/// <param name="DriftShare">The share of columns that drifted.</param>
/// <param name="DatasetThreshold">The share of drifted columns at which the data set drifts.</param>
public sealed record DriftReport(string Reference, string Current, IReadOnlyList<ColumnDrift> Columns, double DriftShare, double DatasetThreshold)
{
    /// <summary>True when <see cref="DriftShare"/> reaches <see cref="DatasetThreshold"/>.</summary>
    public bool DatasetDrift => Columns.Count > 0 && DriftShare >= DatasetThreshold;
}
