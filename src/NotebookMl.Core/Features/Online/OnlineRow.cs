namespace NotebookMl.Core.Features.Online;

/// <summary>The latest values of one view for one entity key, as the online store holds them.</summary>
/// <param name="EntityKey">The key, <c>origin=SEA</c> (several keys: sorted, joined by <c>|</c>).</param>
/// <param name="EventTimestamp">The event time of the values (UTC).</param>
/// <param name="Values">Feature name to value.</param>
public sealed record OnlineRow(string EntityKey, DateTime EventTimestamp, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>The key of an entity row from its join key values.</summary>
    public static string KeyOf(IEnumerable<KeyValuePair<string, object?>> keys) =>
        string.Join("|", keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={Convert.ToString(k.Value, System.Globalization.CultureInfo.InvariantCulture)}"));
}
