using NotebookMl.Core.Drift;

namespace NotebookMl.Core.Drift.Reference;

/// <summary>
/// A compact profile of a model's training rows and of its predictions on them, saved with a registered
/// version so drift can be computed later without the training data (kilobytes, not rows).
/// Numeric columns keep 101 quantiles (0%, 1%, …, 100%) and counts in bins between the deciles;
/// categorical columns keep the most frequent values with their counts and the count of all others.
/// </summary>
/// <param name="Rows">The rows profiled.</param>
/// <param name="Inputs">One profile per model input, in the model's order.</param>
/// <param name="Predictions">One profile per prediction output (probability, score, prediction).</param>
public sealed record ReferenceStatistics(long Rows, IReadOnlyList<ColumnProfile> Inputs, IReadOnlyList<ColumnProfile> Predictions)
{
    /// <summary>The format's version, kept in the saved JSON.</summary>
    public int FormatVersion { get; init; } = 1;
}

/// <summary>The profile of one column.</summary>
/// <param name="Name">The column.</param>
/// <param name="Count">Rows with a value.</param>
/// <param name="Nulls">Rows without one (null, or NaN for numbers).</param>
/// <param name="Numeric">For a numeric column: its distribution; otherwise null.</param>
/// <param name="Categorical">For a categorical column: its value counts; otherwise null.</param>
public sealed record ColumnProfile(string Name, long Count, long Nulls, NumericProfile? Numeric, CategoricalProfile? Categorical);

/// <summary>A numeric column's distribution.</summary>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Mean">The mean.</param>
/// <param name="StdDev">The sample standard deviation (n − 1).</param>
/// <param name="Quantiles">The 0%, 1%, …, 100% quantiles, by linear interpolation between order statistics (NumPy's default).</param>
/// <param name="Bins">
/// Quantile bins: the distinct deciles are the edges; each bin holds the values in [Lower, Upper), the last one
/// [Lower, Upper]. One bin [v, v] when every value is v.
/// </param>
public sealed record NumericProfile(double Min, double Max, double Mean, double StdDev, IReadOnlyList<double> Quantiles, IReadOnlyList<QuantileBin> Bins);

/// <summary>One quantile bin and how many values fell in it.</summary>
public sealed record QuantileBin(double Lower, double Upper, long Count);

/// <summary>A categorical column's value counts.</summary>
/// <param name="Distinct">How many distinct values there were.</param>
/// <param name="Top">The most frequent values with their counts, most frequent first (ties by value).</param>
/// <param name="Other">The count of all values not in <paramref name="Top"/>.</param>
public sealed record CategoricalProfile(long Distinct, IReadOnlyList<CategoryCount> Top, long Other);

/// <summary>A value and its count.</summary>
public sealed record CategoryCount(string Value, long Count);
