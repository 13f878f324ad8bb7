using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Features.Online;

/// <summary>The embedded online store: one row per (view, key) in the workspace's SQLite store.</summary>
public sealed class SqliteOnlineStore : IOnlineStore
{
    /// <summary>The online table in the workspace store.</summary>
    public static readonly StoreSchema Schema = new("online_features",
    [
        """
        CREATE TABLE online_features (
            view TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            event_timestamp INTEGER NOT NULL,
            vals TEXT NOT NULL,
            PRIMARY KEY (view, entity_key)) WITHOUT ROWID;
        """,
    ],
    [new("online_features", ["view", "entity_key"])]);

    private readonly WorkspaceDatabase _database;
    private readonly DbConnection _reader;
    private readonly DbCommand _select;
    private readonly Lock _gate = new();

    /// <summary>Opens the online tables of <paramref name="database"/>.</summary>
    public SqliteOnlineStore(WorkspaceDatabase database)
    {
        _database = database;
        database.Migrate(Schema);
        _reader = database.Connect();
        _select = _reader.CreateCommand();
        _select.CommandText = "SELECT event_timestamp, vals FROM online_features WHERE view = @view AND entity_key = @key";
        _select.Parameter("@view", DbType.String);
        _select.Parameter("@key", DbType.String);
        _select.Prepare();
    }

    /// <inheritdoc/>
    public void Write(string view, IReadOnlyList<OnlineRow> rows, TimeSpan? ttl, DateTime? asOf = null)
    {
        using var connection = _database.Connect();
        using var transaction = connection.BeginWrite();
        using var upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO online_features (view, entity_key, event_timestamp, vals) VALUES (@view, @key, @ts, @vals)
            ON CONFLICT(view, entity_key) DO UPDATE SET event_timestamp = excluded.event_timestamp, vals = excluded.vals
            WHERE excluded.event_timestamp >= online_features.event_timestamp
            """;
        var viewParameter = upsert.Parameter("@view", DbType.String);
        var key = upsert.Parameter("@key", DbType.String);
        var ts = upsert.Parameter("@ts", DbType.Int64);
        var vals = upsert.Parameter("@vals", DbType.String);
        upsert.Prepare();
        viewParameter.Value = view;
        foreach (var row in rows)
        {
            key.Value = row.EntityKey;
            ts.Value = row.EventTimestamp.Ticks;
            vals.Value = OnlineValues.ToJson(row.Values);
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <inheritdoc/>
    public OnlineRow? Read(string view, string entityKey)
    {
        lock (_gate)
        {
            _select.Parameters[0].Value = view;
            _select.Parameters[1].Value = entityKey;
            using var reader = _select.ExecuteReader();
            return reader.Read()
                ? new OnlineRow(entityKey, new DateTime(reader.GetInt64(0), DateTimeKind.Utc), OnlineValues.FromJson(reader.GetString(1)))
                : null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _select.Dispose();
        _reader.Dispose();
    }
}

/// <summary>Feature values as JSON in the online stores (timestamps as ISO strings with a marker).</summary>
internal static class OnlineValues
{
    public static string ToJson(IReadOnlyDictionary<string, object?> values)
    {
        var json = new JsonObject();
        foreach (var (name, value) in values)
        {
            json[name] = value switch
            {
                null => null,
                DateTime d => JsonValue.Create("\u0001" + d.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                double d when !double.IsFinite(d) => JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => JsonValue.Create(value),
            };
        }

        return json.ToJsonString();
    }

    public static IReadOnlyDictionary<string, object?> FromJson(string text)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (name, node) in JsonNode.Parse(text)!.AsObject())
        {
            result[name] = node?.GetValueKind() switch
            {
                null or JsonValueKind.Null => null,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => node.GetValue<JsonElement>().TryGetInt64(out var l) && !node.ToJsonString().Contains('.') && !node.ToJsonString().Contains('e') ? l : node.GetValue<double>(),
                _ => Text(node.GetValue<string>()),
            };
        }

        return result;
    }

    private static object Text(string text) =>
        text.StartsWith('\u0001') ? DateTime.Parse(text[1..], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind)
        : text is "NaN" or "Infinity" or "-Infinity" ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : text;
}
