using NotebookMl.Core.Drift.Sources;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Drift.Monitoring;

/// <summary>Drift over time: the reference against the prediction log bucket by bucket.</summary>
public static class DriftMonitor
{
    /// <summary>The most buckets one computation may have.</summary>
    public const int MaxBuckets = 10000;

    /// <summary>
    /// Compares <paramref name="reference"/> with the served traffic of <paramref name="model"/> in each bucket of width
    /// <paramref name="every"/> from <paramref name="since"/> until <paramref name="until"/>. Buckets are aligned to
    /// multiples of <paramref name="every"/> since 1970 (hours start on the hour), so repeated runs fill the same buckets.
    /// </summary>
    public static DriftTimeline Compute(IDriftDataset reference, WorkspaceLocation workspace, string model, int version, DateTimeOffset since, DateTimeOffset until, TimeSpan every, DriftOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (every <= TimeSpan.Zero)
        {
            throw new Options.InvalidOptionException("every", "the bucket width must be positive, e.g. 1h.");
        }

        var first = new DateTimeOffset(since.UtcTicks - (since.UtcTicks % every.Ticks), TimeSpan.Zero);
        var count = (long)Math.Ceiling((until - first) / every);
        if (count > MaxBuckets)
        {
            throw new Options.InvalidOptionException("every", $"{count:N0} buckets of {Time.Durations.Format(every)} since {since:u}; at most {MaxBuckets:N0}: widen the buckets or shorten the range.");
        }

        var buckets = new List<DriftBucket>();
        for (var start = first; start < until; start += every)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = start + every;
            using var traffic = DriftSources.PredictionLog(workspace, model, start, end < until ? end : until);
            if (traffic is null || traffic.Rows == 0)
            {
                buckets.Add(new DriftBucket(start, end, 0, null));
                continue;
            }

            buckets.Add(new DriftBucket(start, end, traffic.Rows, DriftCalculator.Compare(reference, traffic, options, null, cancellationToken)));
        }

        return new DriftTimeline(model, version, every, buckets);
    }
}
