using NotebookMl.Core.Features.Online;
using NotebookMl.Serving.Metrics;

namespace NotebookMl.Serving.Models;

/// <summary>
/// What a model's online lookups found, counted in <c>notebookml_online_features_total{outcome}</c> (hit, expired, missing).
/// When most of at least <see cref="Sample"/> values came back past their view's TTL, the endpoint says so once in its log:
/// the online store holds old data (or was materialized without <c>--as-of</c> for a replay), and requests are being imputed.
/// </summary>
public sealed class OnlineLookups(string model, ServingMetrics metrics, Action<string> log)
{
    /// <summary>How many values are looked up before the share of expired ones is judged.</summary>
    public const int Sample = 100;

    private long _total;
    private long _expired;
    private int _warned;

    /// <summary>Counts the outcomes of one lookup's values.</summary>
    public void Count(IEnumerable<OnlineValue> values)
    {
        foreach (var value in values)
        {
            metrics.OnlineFeatures.WithLabels(model, value.Outcome.ToString().ToLowerInvariant()).Inc();
            var total = Interlocked.Increment(ref _total);
            var expired = value.Outcome == OnlineOutcome.Expired ? Interlocked.Increment(ref _expired) : Interlocked.Read(ref _expired);
            if (total >= Sample && expired * 2 > total && Interlocked.Exchange(ref _warned, 1) == 0)
            {
                log($"{model}: {expired:N0} of {total:N0} online feature values looked up were past their view's TTL (last event {value.EventTime:yyyy-MM-dd HH:mm}, judged at {value.JudgedAt:yyyy-MM-dd HH:mm}): requests are imputed; materialize recent data, or replay with 'features materialize … --as-of'");
            }
        }
    }
}
