using System.Globalization;
using NotebookMl.Core.Options;

namespace NotebookMl.Core.Features;

/// <summary>Materialization into the online store, and online lookups.</summary>
public sealed partial class FeatureStore
{
    /// <summary>
    /// Writes, for each key of each view (all when <paramref name="views"/> is empty), its latest row with
    /// event time in [<paramref name="start"/>, <paramref name="end"/>) to the online store (a newer stored row is kept).
    /// </summary>
    public IReadOnlyList<Materialization> Materialize(DateTime start, DateTime end, IReadOnlyList<string>? views = null)
    {
        if (end <= start)
        {
            throw new ArgumentException($"materialize: END ({end:O}) must be after START ({start:O}).");
        }

        var infos = views is { Count: > 0 } ? views.Select(v => GetView(v)).ToArray() : ListViews().ToArray();
        var done = new List<Materialization>();
        foreach (var info in infos)
        {
            using var session = _duckDb.Session();
            var keys = string.Join(", ", info.JoinKeys.Select(FeatureViewSql.Quote));
            var frame = session.Query($"""
                SELECT * FROM ({ViewSql(info, session)})
                WHERE event_timestamp >= {FeatureViewSql.Timestamp(start)} AND event_timestamp < {FeatureViewSql.Timestamp(end)}
                QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY event_timestamp DESC, created_timestamp DESC NULLS LAST) = 1
                """);
            var rows = new List<OnlineRow>((int)frame.Rows.Count);
            for (long i = 0; i < frame.Rows.Count; i++)
            {
                var key = OnlineRow.KeyOf(info.JoinKeys.Select(k => KeyValuePair.Create(k, (object?)frame[k][i])));
                var values = info.View.Features.ToDictionary(f => f.Name, f => (object?)frame[f.Name][i]);
                rows.Add(new OnlineRow(key, (DateTime)frame["event_timestamp"][i]!, values));
            }

            Online.Write(info.View.Name, rows, info.View.Ttl);
            _registry.RecordMaterialization(info.View.Name, info.Version, start, end, rows.Count);
            done.Add(new Materialization(info.View.Name, start, end, rows.Count));
        }

        return done;
    }

    /// <summary>Materializes each view from where its last materialization ended (or the beginning of time) up to <paramref name="end"/>.</summary>
    public IReadOnlyList<Materialization> MaterializeIncremental(DateTime end, IReadOnlyList<string>? views = null)
    {
        var names = views is { Count: > 0 } ? views : ListViews().Select(v => v.View.Name).ToArray();
        return names.SelectMany(name => Materialize(_registry.MaterializedUntil(name) ?? DateTime.MinValue.AddYears(1900), end, [name])).ToArray();
    }

    /// <summary>
    /// The online values of <paramref name="features"/> for the entity identified by <paramref name="key"/>
    /// (join key name to value). A value older than its view's TTL (by the store's clock) is null, as is a key never materialized.
    /// </summary>
    public IReadOnlyDictionary<string, object?> GetOnlineFeatures(IReadOnlyList<FeatureReference> features, IReadOnlyDictionary<string, object?> key)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var group in features.GroupBy(f => f.View))
        {
            var info = _viewCache.TryGetValue(group.Key, out var cached) ? cached : _viewCache[group.Key] = GetView(group.Key);
            foreach (var missing in info.JoinKeys.Where(k => !key.ContainsKey(k)))
            {
                throw new InvalidOptionException("key", $"feature view '{info.View.Name}' is keyed by {string.Join(", ", info.JoinKeys)}; '{missing}' is missing.");
            }

            var row = Online.Read(info.View.Name, OnlineRow.KeyOf(info.JoinKeys.Select(k => KeyValuePair.Create(k, key[k]))));
            var fresh = row is not null && (info.View.Ttl is not { } ttl || now - row.EventTimestamp <= ttl);
            foreach (var reference in group)
            {
                var feature = info.View.Features.FirstOrDefault(f => f.Name == reference.Feature)
                    ?? throw new ArgumentException($"feature view '{info.View.Name}' has no feature '{reference.Feature}'; features: {string.Join(", ", info.View.Features.Select(f => f.Name))}.");
                result[$"{info.View.Name}:{feature.Name}"] = fresh && row!.Values.TryGetValue(feature.Name, out var value) ? Coerce(value, feature.Type) : null;
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
