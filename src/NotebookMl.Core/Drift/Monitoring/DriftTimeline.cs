namespace NotebookMl.Core.Drift.Monitoring;

/// <summary>Drift per time bucket: a model's reference against each bucket of its served traffic.</summary>
/// <param name="Model">The model.</param>
/// <param name="Version">The version whose reference statistics were compared.</param>
/// <param name="Every">The bucket width.</param>
/// <param name="Buckets">The buckets, oldest first; a bucket without traffic has no report.</param>
public sealed record DriftTimeline(string Model, int Version, TimeSpan Every, IReadOnlyList<DriftBucket> Buckets)
{
    /// <summary>The newest bucket that had traffic, or null.</summary>
    public DriftBucket? Latest => Buckets.LastOrDefault(b => b.Report is not null);
}

/// <summary>One bucket of a <see cref="DriftTimeline"/>: [Start, End), its served rows and, when it had any, the report.</summary>
public sealed record DriftBucket(DateTimeOffset Start, DateTimeOffset End, long Rows, DriftReport? Report);
