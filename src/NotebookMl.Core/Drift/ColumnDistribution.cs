using NotebookMl.Core.Drift.Statistics;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Core.Drift;

/// <summary>
/// One side's values of one column, as drift needs them: a numeric column's present values sorted (or, for a reference
/// saved at registration, its <see cref="NumericProfile"/>), a categorical column's counts per value.
/// </summary>
public sealed class ColumnDistribution
{
    private ColumnDistribution(string name, long nulls)
    {
        Name = name;
        Nulls = nulls;
    }

    /// <summary>The column.</summary>
    public string Name { get; }

    /// <summary>Rows without a value (null, or NaN).</summary>
    public long Nulls { get; }

    /// <summary>Rows with a value.</summary>
    public long Count { get; private init; }

    /// <summary>True for a categorical column (text, booleans).</summary>
    public bool IsCategorical => Categories is not null;

    /// <summary>A numeric column's values, sorted ascending; null for a profile or a categorical column.</summary>
    public double[]? Sorted { get; private init; }

    /// <summary>A numeric reference's saved profile; null for raw values.</summary>
    public NumericProfile? Profile { get; private init; }

    /// <summary>A categorical column's counts per value (for a saved profile, only its most frequent values).</summary>
    public IReadOnlyDictionary<string, long>? Categories { get; private init; }

    /// <summary>For a saved categorical profile, the count of values not in <see cref="Categories"/>; otherwise 0.</summary>
    public long OtherCategories { get; private init; }

    /// <summary>The smallest value of a numeric column (NaN when it has none).</summary>
    public double Min => Sorted is { Length: > 0 } s ? s[0] : Profile?.Min ?? double.NaN;

    /// <summary>The largest value of a numeric column (NaN when it has none).</summary>
    public double Max => Sorted is { Length: > 0 } s ? s[^1] : Profile?.Max ?? double.NaN;

    /// <summary>Raw numeric values; <paramref name="sorted"/> must be ascending without NaN.</summary>
    public static ColumnDistribution Numeric(string name, double[] sorted, long nulls) => new(name, nulls) { Sorted = sorted, Count = sorted.Length };

    /// <summary>Counts per value of a categorical column.</summary>
    public static ColumnDistribution Categorical(string name, IReadOnlyDictionary<string, long> counts, long nulls, long other = 0) =>
        new(name, nulls) { Categories = counts, Count = counts.Values.Sum() + other, OtherCategories = other };

    /// <summary>A column of a model's reference statistics.</summary>
    public static ColumnDistribution FromProfile(ColumnProfile profile) => profile switch
    {
        { Numeric: { } numeric } => new(profile.Name, profile.Nulls) { Profile = numeric, Count = profile.Count },
        { Categorical: { } categorical } => Categorical(profile.Name, categorical.Top.ToDictionary(c => c.Value, c => c.Count, StringComparer.Ordinal), profile.Nulls, categorical.Other),
        _ => new(profile.Name, profile.Nulls) { Sorted = [], Count = 0 },
    };

    /// <summary>
    /// The population standard deviation of a numeric column (a profile's sample deviation rescaled by √((n − 1)/n)).
    /// </summary>
    public double PopulationStandardDeviation()
    {
        if (Sorted is { } values)
        {
            if (values.Length == 0)
            {
                return 0;
            }

            var mean = 0.0;
            foreach (var value in values)
            {
                mean += value;
            }

            mean /= values.Length;
            var squares = 0.0;
            foreach (var value in values)
            {
                squares += (value - mean) * (value - mean);
            }

            return Math.Sqrt(squares / values.Length);
        }

        return Profile is { } profile && Count > 0 ? profile.StdDev * Math.Sqrt((Count - 1) / (double)Count) : 0;
    }

    /// <summary>How many distinct values the column has, counting no further than one past <paramref name="limit"/> (a saved profile: its distinct quantiles).</summary>
    public int DistinctUpTo(int limit)
    {
        if (Categories is { } categories)
        {
            return Math.Min(categories.Count, limit + 1);
        }

        IEnumerable<double> values = Sorted ?? (IEnumerable<double>)Profile!.Quantiles;
        var distinct = 0;
        var previous = double.NaN;
        foreach (var value in values)
        {
            if (value != previous && ++distinct > limit)
            {
                break;
            }

            previous = value;
        }

        return distinct;
    }

    /// <summary>The Kolmogorov–Smirnov test of this (reference) column against <paramref name="current"/>'s raw values.</summary>
    internal TestResult KolmogorovSmirnovAgainst(ColumnDistribution current) =>
        Sorted is { } reference
            ? KolmogorovSmirnov.TwoSample(reference, current.Sorted!)
            : QuantileCurve.KolmogorovSmirnov(Profile!, Count, current.Sorted!);

    /// <summary>The Wasserstein-1 distance of this (reference) column to <paramref name="current"/>'s raw values.</summary>
    internal double WassersteinTo(ColumnDistribution current) =>
        Sorted is { } reference ? Statistics.Wasserstein.Distance(reference, current.Sorted!) : QuantileCurve.Wasserstein(Profile!, current.Sorted!);
}
