namespace NotebookMl.Core.Drift.Statistics;

/// <summary>
/// The population stability index: Σ (cur − ref) · ln(cur / ref) over bins, where ref and cur are each side's share of its
/// rows in the bin and an empty share counts as <see cref="EmptyShare"/>. Numeric columns are binned at the reference's
/// quantiles (see <see cref="NotebookMl.Core.Drift.DriftBins"/>), categorical ones by category.
/// </summary>
public static class PopulationStability
{
    /// <summary>The share an empty bin counts as, so the logarithm stays finite.</summary>
    public const double EmptyShare = 1e-4;

    /// <summary>The index of two count vectors over the same bins.</summary>
    public static double Index(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        if (reference.Length != current.Length)
        {
            throw new ArgumentException("Both count vectors need the same bins.", nameof(current));
        }

        double referenceTotal = 0, currentTotal = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            referenceTotal += reference[i];
            currentTotal += current[i];
        }

        var index = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var r = Share(reference[i], referenceTotal);
            var c = Share(current[i], currentTotal);
            index += (c - r) * Math.Log(c / r);
        }

        return index;
    }

    private static double Share(double count, double total) => count > 0 && total > 0 ? count / total : EmptyShare;
}
