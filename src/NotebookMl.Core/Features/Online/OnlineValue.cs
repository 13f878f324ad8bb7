namespace NotebookMl.Core.Features.Online;

/// <summary>What an online lookup found for one feature.</summary>
public enum OnlineOutcome
{
    /// <summary>A value within its view's TTL (it may itself be null in the source).</summary>
    Hit,

    /// <summary>A value older than its view's TTL at the time the lookup judges by: null.</summary>
    Expired,

    /// <summary>No value was ever materialized for the key: null.</summary>
    Missing,
}

/// <summary>
/// One feature of an online lookup: its value (null unless a <see cref="OnlineOutcome.Hit"/>), what the lookup found, the
/// event time of the stored row (null when missing), and the time its freshness was judged at (now, or the view's as-of).
/// </summary>
public sealed record OnlineValue(object? Value, OnlineOutcome Outcome, DateTime? EventTime, DateTime JudgedAt)
{
    /// <summary>Why the value is null, in words, or null for a hit.</summary>
    public string? Reason(TimeSpan? ttl, string key) => Outcome switch
    {
        OnlineOutcome.Expired => $"expired: its last event, {EventTime:yyyy-MM-dd HH:mm}, is older than the view's TTL ({(ttl is { } t ? Time.Durations.Format(t) : "none")}) as of {JudgedAt:yyyy-MM-dd HH:mm}",
        OnlineOutcome.Missing => $"never materialized for {key}",
        _ => null,
    };
}
