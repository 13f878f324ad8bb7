using NotebookMl.Core.Drift.Statistics;

namespace NotebookMl.Core.Drift;

/// <summary>Measures one column's drift from its reference and current distributions.</summary>
internal static class ColumnComparer
{
    private const int ListedNewCategories = 20;
    private const int HistogramCategories = 30;

    public static ColumnDrift Compare(ColumnDistribution reference, ColumnDistribution current, DriftOptions options)
    {
        var name = reference.Name;
        var asked = options.MethodFor(name);
        // Under auto, a numeric column with few distinct values (raw reference only) is compared as categories.
        var categories = reference.IsCategorical
            || (asked == DriftMethod.Auto && reference.Sorted is not null && reference.DistinctUpTo(DriftMethods.CategoricalDistinct) <= DriftMethods.CategoricalDistinct);
        var method = asked == DriftMethod.Auto ? DriftMethods.Choose(categories, reference.Count) : asked;
        var threshold = options.ThresholdFor(name, method);
        var (labels, referenceCounts, currentCounts) = categories ? CategoryCounts(reference, current) : BinCounts(reference, current, options.Bins);
        var quality = Quality(reference, current);
        var histogram = Histogram(labels, referenceCounts, currentCounts);
        if (reference.Count == 0 || current.Count == 0)
        {
            return new ColumnDrift(name, Kind(reference), method, null, null, threshold, false, quality, histogram) { Bins = labels.Count };
        }

        var binned = method is DriftMethod.Psi or DriftMethod.JensenShannon or DriftMethod.ChiSquare;
        var needed = options.MinRows ?? (binned && options.MinRowsPerBin is { } perBin ? (long)perBin * labels.Count : 0);
        if (current.Count < needed)
        {
            var rule = options.MinRows is null ? $"{options.MinRowsPerBin} per bin × {labels.Count} {(categories ? "categories" : "bins")}" : "the minimum asked for";
            return new ColumnDrift(name, Kind(reference), method, null, null, threshold, false, quality, histogram)
            {
                Bins = labels.Count,
                Unmeasured = $"too few rows to estimate {(method switch { DriftMethod.Psi => "PSI", DriftMethod.ChiSquare => "chi-square", _ => "Jensen–Shannon" })}: {current.Count:N0} with values of '{name}', and it needs at least {needed:N0} ({rule})",
            };
        }

        var result = method switch
        {
            DriftMethod.Ks => reference.KolmogorovSmirnovAgainst(current),
            DriftMethod.Wasserstein => new TestResult(Statistics.Wasserstein.Normalized(reference.WassersteinTo(current), reference.PopulationStandardDeviation()), null),
            DriftMethod.ChiSquare => ChiSquare.Contingency(referenceCounts, currentCounts),
            DriftMethod.JensenShannon => new TestResult(JensenShannon.Distance(referenceCounts, currentCounts), null),
            _ => new TestResult(PopulationStability.Index(referenceCounts, currentCounts), null),
        };
        return new ColumnDrift(name, Kind(reference), method, result.Statistic, result.PValue, threshold,
            DriftMethods.IsDrift(method, result.Statistic, result.PValue, threshold), quality, histogram) { Bins = labels.Count };
    }

    private static string Kind(ColumnDistribution column) => column.IsCategorical ? "categorical" : "numeric";

    private static (IReadOnlyList<string> Labels, double[] Reference, double[] Current) BinCounts(ColumnDistribution reference, ColumnDistribution current, int steps)
    {
        var bins = DriftBins.For(reference, steps);
        return (bins.Labels(), bins.Counts(reference), bins.Counts(current));
    }

    /// <summary>
    /// Counts over every category either side has (in ordinal order), with a saved reference's "other" values as one more
    /// category that also takes the current values it may hold. Categories empty on both sides are left out.
    /// </summary>
    private static (IReadOnlyList<string> Labels, double[] Reference, double[] Current) CategoryCounts(ColumnDistribution reference, ColumnDistribution current)
    {
        var referenceCategories = Categories(reference);
        var currentCategories = Categories(current);
        var partial = reference.OtherCategories > 0;
        var labels = referenceCategories.Keys.Concat(partial ? [] : currentCategories.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var referenceCounts = labels.Select(l => (double)referenceCategories.GetValueOrDefault(l)).ToList();
        var currentCounts = labels.Select(l => (double)currentCategories.GetValueOrDefault(l)).ToList();
        if (partial)
        {
            labels.Add("(other)");
            referenceCounts.Add(reference.OtherCategories);
            currentCounts.Add(currentCategories.Where(c => !referenceCategories.ContainsKey(c.Key)).Sum(c => (double)c.Value));
        }

        var kept = Enumerable.Range(0, labels.Count).Where(i => referenceCounts[i] + currentCounts[i] > 0).ToArray();
        return (kept.Select(i => labels[i]).ToArray(), kept.Select(i => referenceCounts[i]).ToArray(), kept.Select(i => currentCounts[i]).ToArray());
    }

    private static IReadOnlyDictionary<string, long> Categories(ColumnDistribution column)
    {
        if (column.Categories is { } categories)
        {
            return categories;
        }

        // A numeric column with few distinct values, compared as categories.
        var values = column.Sorted ?? [];
        return values.GroupBy(v => v).ToDictionary(g => g.Key.ToString("R", System.Globalization.CultureInfo.InvariantCulture), g => (long)g.Count(), StringComparer.Ordinal);
    }

    private static ColumnQuality Quality(ColumnDistribution reference, ColumnDistribution current)
    {
        static double Share(long part, long whole) => whole == 0 ? 0 : part / (double)whole;
        var (referenceRows, currentRows) = (reference.Count + reference.Nulls, current.Count + current.Nulls);
        double? outOfRange = null;
        if (current.Sorted is { } values && reference.Count > 0)
        {
            var (min, max) = (reference.Min, reference.Max);
            outOfRange = Share(values.LongCount(v => v < min || v > max), values.Length);
        }

        IReadOnlyList<string> added = [];
        var addedShare = 0.0;
        if (reference.Categories is { } known && reference.OtherCategories == 0 && current.Categories is { } seen)
        {
            var fresh = seen.Where(c => !known.ContainsKey(c.Key)).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToArray();
            added = fresh.Take(ListedNewCategories).Select(c => c.Key).ToArray();
            addedShare = Share(fresh.Sum(c => c.Value), current.Count);
        }

        return new ColumnQuality(referenceRows, currentRows, Share(reference.Nulls, referenceRows), Share(current.Nulls, currentRows), outOfRange, added, addedShare);
    }

    private static DriftHistogram Histogram(IReadOnlyList<string> labels, double[] reference, double[] current)
    {
        static double[] Shares(IEnumerable<double> counts)
        {
            var array = counts.ToArray();
            var total = array.Sum();
            return array.Select(c => total > 0 ? c / total : 0).ToArray();
        }

        if (labels.Count <= HistogramCategories + 1)
        {
            return new DriftHistogram(labels, Shares(reference), Shares(current));
        }

        // Many categories: the most frequent on either side, then the rest as one bar (shares stay of all values).
        var (referenceTotal, currentTotal) = (reference.Sum(), current.Sum());
        var top = Enumerable.Range(0, labels.Count)
            .OrderByDescending(i => Math.Max(referenceTotal > 0 ? reference[i] / referenceTotal : 0, currentTotal > 0 ? current[i] / currentTotal : 0))
            .Take(HistogramCategories).ToHashSet();
        var rest = Enumerable.Range(0, labels.Count).Where(i => !top.Contains(i)).ToArray();
        var order = top.Order().ToArray();
        var referenceShares = Shares(reference);
        var currentShares = Shares(current);
        return new DriftHistogram(
            order.Select(i => labels[i]).Append($"({rest.Length} others)").ToArray(),
            order.Select(i => referenceShares[i]).Append(rest.Sum(i => referenceShares[i])).ToArray(),
            order.Select(i => currentShares[i]).Append(rest.Sum(i => currentShares[i])).ToArray());
    }
}
