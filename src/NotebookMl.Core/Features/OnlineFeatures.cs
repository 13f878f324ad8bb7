using System.Collections.Concurrent;
using System.Globalization;
using NotebookMl.Core.Data;
using NotebookMl.Core.Features.Online;
using NotebookMl.Core.Options;

namespace NotebookMl.Core.Features;

/// <summary>
/// The feature store's online side: materializing views into the online store, and TTL-honouring lookups that say what
/// they found. A view materialized as of a time (replaying history, as the example's 2001 data needs) has its TTLs judged
/// at that time, not the clock's.
/// </summary>
internal sealed class OnlineFeatures(IOnlineStore online, FeatureRegistry registry, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTime?> _asOf = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes, for each key of <paramref name="info"/>, its latest row with event time in [<paramref name="start"/>, <paramref name="end"/>),
    /// and records it, as of <paramref name="asOf"/> (null: now).
    /// </summary>
    public Materialization Materialize(FeatureViewInfo info, string viewSql, DuckDbSession session, DateTime start, DateTime end, DateTime? asOf)
    {
        var keys = string.Join(", ", info.JoinKeys.Select(DuckDbSql.Quote));
        var frame = session.Query($"""
            SELECT * FROM ({viewSql})
            WHERE event_timestamp >= {DuckDbSql.Timestamp(start)} AND event_timestamp < {DuckDbSql.Timestamp(end)}
            QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY event_timestamp DESC, created_timestamp DESC NULLS LAST) = 1
            """);
        var rows = new List<OnlineRow>((int)frame.Rows.Count);
        for (long i = 0; i < frame.Rows.Count; i++)
        {
            var key = OnlineRow.KeyOf(info.JoinKeys.Select(k => KeyValuePair.Create(k, (object?)frame[k][i])));
            var values = info.View.Features.ToDictionary(f => f.Name, f => (object?)frame[f.Name][i]);
            rows.Add(new OnlineRow(key, (DateTime)frame["event_timestamp"][i]!, values));
        }

        online.Write(info.View.Name, rows, info.View.Ttl, asOf);
        registry.RecordMaterialization(info.View.Name, info.Version, start, end, rows.Count, asOf);
        _asOf[info.View.Name] = asOf;
        return new Materialization(info.View.Name, start, end, rows.Count) { AsOf = asOf };
    }

    /// <summary>The online values of <paramref name="features"/> for <paramref name="key"/>; stale or missing rows give nulls.</summary>
    public IReadOnlyDictionary<string, object?> Lookup(IReadOnlyList<FeatureReference> features, IReadOnlyDictionary<string, object?> key, Func<string, FeatureViewInfo> view) =>
        ExplainAsync(features, key, view).GetAwaiter().GetResult().ToDictionary(v => v.Key, v => v.Value.Value, StringComparer.Ordinal);

    /// <summary>As <see cref="Lookup"/>, reading the online store asynchronously.</summary>
    public async Task<IReadOnlyDictionary<string, object?>> LookupAsync(IReadOnlyList<FeatureReference> features, IReadOnlyDictionary<string, object?> key, Func<string, FeatureViewInfo> view) =>
        (await ExplainAsync(features, key, view)).ToDictionary(v => v.Key, v => v.Value.Value, StringComparer.Ordinal);

    /// <summary>Each feature of <paramref name="features"/> for <paramref name="key"/> with what the lookup found (hit, expired, missing).</summary>
    public async Task<IReadOnlyDictionary<string, OnlineValue>> ExplainAsync(IReadOnlyList<FeatureReference> features, IReadOnlyDictionary<string, object?> key, Func<string, FeatureViewInfo> view)
    {
        var result = new Dictionary<string, OnlineValue>(StringComparer.Ordinal);
        foreach (var group in features.GroupBy(f => f.View))
        {
            var info = view(group.Key);
            foreach (var missing in info.JoinKeys.Where(k => !key.ContainsKey(k)))
            {
                throw new InvalidOptionException("key", $"feature view '{info.View.Name}' is keyed by {string.Join(", ", info.JoinKeys)}; '{missing}' is missing.");
            }

            var judgedAt = _asOf.GetOrAdd(info.View.Name, registry.AsOf) ?? clock.GetUtcNow().UtcDateTime;
            var row = await online.ReadAsync(info.View.Name, OnlineRow.KeyOf(info.JoinKeys.Select(k => KeyValuePair.Create(k, key[k]))));
            var outcome = row is null ? OnlineOutcome.Missing : info.View.Ttl is { } ttl && judgedAt - row.EventTimestamp > ttl ? OnlineOutcome.Expired : OnlineOutcome.Hit;
            foreach (var reference in group)
            {
                var feature = info.View.Features.FirstOrDefault(f => f.Name == reference.Feature)
                    ?? throw new ArgumentException($"feature view '{info.View.Name}' has no feature '{reference.Feature}'; features: {string.Join(", ", info.View.Features.Select(f => f.Name))}.");
                var value = outcome == OnlineOutcome.Hit && row!.Values.TryGetValue(feature.Name, out var stored) ? Coerce(stored, feature.Type) : null;
                result[$"{info.View.Name}:{feature.Name}"] = new OnlineValue(value, outcome, row?.EventTimestamp, judgedAt);
            }
        }

        return result;
    }

    private static object? Coerce(object? value, FeatureType type) => value switch
    {
        null => null,
        _ => type switch
        {
            FeatureType.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            FeatureType.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            FeatureType.Bool => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            FeatureType.Timestamp => value is DateTime d ? d : DateTime.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        },
    };
}
