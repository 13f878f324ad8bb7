namespace NotebookMl.Core.Features;

/// <summary>Statistics of one feature over a view's rows.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Nulls">Rows without a value.</param>
/// <param name="Min">The smallest value (numbers and times), as text.</param>
/// <param name="Max">The largest value, as text.</param>
/// <param name="Mean">The mean (numbers).</param>
/// <param name="Histogram">Counts in 10 equal-width bins from min to max (numbers); distinct-value counts, most frequent first, for text (at most 10).</param>
/// <param name="HistogramLabels">The bins' labels.</param>
public sealed record FeatureStatistics(Feature Feature, long Nulls, string? Min, string? Max, double? Mean, IReadOnlyList<long> Histogram, IReadOnlyList<string> HistogramLabels);

/// <summary>A feature view described: definition, version, row count and per-feature statistics.</summary>
public sealed record FeatureViewDescription(FeatureViewInfo Info, long Rows, DateTime? FirstEvent, DateTime? LastEvent, IReadOnlyList<FeatureStatistics> Features);
