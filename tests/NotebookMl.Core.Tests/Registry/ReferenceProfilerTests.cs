using NotebookMl.Core.Drift;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Core.Tests.Registry;

/// <summary>Reference statistics: quantiles as NumPy's default (linear), decile bins that count every value once, top-K categories.</summary>
public sealed class ReferenceProfilerTests
{
    [Fact]
    public void Numeric_profiles_keep_linear_quantiles_decile_bins_and_nulls()
    {
        double[] values = [.. Enumerable.Range(1, 100).Select(i => (double)i), double.NaN, double.NaN];

        var profile = ReferenceProfiler.Numeric("distance", values);

        var numeric = profile.Numeric!;
        Assert.Equal((100L, 2L), (profile.Count, profile.Nulls));
        Assert.Equal((1.0, 100.0, 50.5), (numeric.Min, numeric.Max, numeric.Mean));
        Assert.Equal(29.011491975882016, numeric.StdDev, 1e-12);
        // numpy.percentile(range(1, 101), [0, 25, 50, 99, 100]) == [1, 25.75, 50.5, 99.01, 100]
        Assert.Equal([1.0, 25.75, 50.5, 99.01, 100.0], new[] { 0, 25, 50, 99, 100 }.Select(q => Math.Round(numeric.Quantiles[q], 10)));
        Assert.Equal(11, numeric.Bins.Count + 1);
        Assert.Equal(100, numeric.Bins.Sum(b => b.Count));
        Assert.Equal((1.0, 10.9, 10L), (numeric.Bins[0].Lower, Math.Round(numeric.Bins[0].Upper, 10), numeric.Bins[0].Count));
    }

    [Fact]
    public void Ties_collapse_bins_and_a_constant_column_has_one_closed_bin()
    {
        double[] skewed = [.. Enumerable.Repeat(0.0, 90), .. Enumerable.Range(1, 10).Select(i => (double)i)];

        var bins = ReferenceProfiler.Numeric("delay", skewed).Numeric!.Bins;
        var constant = ReferenceProfiler.Numeric("one", [3, 3, 3]).Numeric!.Bins;

        Assert.Equal(100, bins.Sum(b => b.Count));
        Assert.Equal(90, bins[0].Count);
        Assert.Equal(0.0, bins[0].Lower);
        Assert.Equal([new QuantileBin(3, 3, 3)], constant);
        Assert.Null(ReferenceProfiler.Numeric("empty", [double.NaN]).Numeric);
    }

    [Fact]
    public void Categorical_profiles_keep_the_most_frequent_values_and_count_the_rest_as_other()
    {
        string?[] values = ["ORD", "ORD", "ORD", "ATL", "ATL", "SEA", "BOS", null, ""];

        var profile = ReferenceProfiler.Categorical("origin", values, top: 2);

        Assert.Equal((7L, 2L), (profile.Count, profile.Nulls));
        var categorical = profile.Categorical!;
        Assert.Equal([new CategoryCount("ORD", 3), new CategoryCount("ATL", 2)], categorical.Top);
        Assert.Equal((4L, 2L), (categorical.Distinct, categorical.Other));
    }
}
