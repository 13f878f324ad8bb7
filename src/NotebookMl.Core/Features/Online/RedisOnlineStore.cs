using StackExchange.Redis;

namespace NotebookMl.Core.Features.Online;

/// <summary>
/// The online store on Redis: a hash per (view, key) at <c>notebookml:VIEW:KEY</c> holding the event time
/// and the values. Writes keep a newer stored row (a Lua check); keys expire at event time + TTL by the
/// store's clock (rows already expired are not written), and reads check the TTL too (Feast's online store ignores it).
/// </summary>
public sealed class RedisOnlineStore : IOnlineStore
{
    private const string WriteIfNewer = """
        local current = redis.call('HGET', KEYS[1], 'ts')
        if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'ts', ARGV[1], 'vals', ARGV[2])
        if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
        return 1
        """;

    private static readonly RedisValue[] s_fields = ["ts", "vals"];
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;

    private readonly TimeProvider _timeProvider;

    private RedisOnlineStore(ConnectionMultiplexer connection, TimeProvider timeProvider)
    {
        _connection = connection;
        _timeProvider = timeProvider;
        _database = connection.GetDatabase();
    }

    /// <summary>
    /// Connects to Redis at <paramref name="address"/> (<c>HOST:PORT</c>); an unreachable server is a clear error.
    /// Keys get Redis expiry at event time + TTL as read by <paramref name="timeProvider"/> (the feature store's clock).
    /// </summary>
    public static RedisOnlineStore Connect(string address, TimeProvider? timeProvider = null)
    {
        try
        {
            return new RedisOnlineStore(ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { address }, ConnectTimeout = 5000, AbortOnConnectFail = true }), timeProvider ?? TimeProvider.System);
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException($"online_store redis://{address}: cannot connect ({e.Message.Split('.')[0]}).", e);
        }
    }

    /// <inheritdoc/>
    public void Write(string view, IReadOnlyList<OnlineRow> rows, TimeSpan? ttl, DateTime? asOf = null)
    {
        var batch = _database.CreateBatch();
        var pending = new List<Task>(rows.Count);
        // As of a past time, a row has what it had left then: that much from now.
        var now = asOf ?? _timeProvider.GetUtcNow().UtcDateTime;
        foreach (var row in rows)
        {
            var remaining = ttl is { } t ? row.EventTimestamp + t - now : (TimeSpan?)null;
            if (remaining is { } r && r <= TimeSpan.Zero)
            {
                continue;
            }

            var expiry = remaining is { } left ? ((long)Math.Ceiling(left.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            pending.Add(batch.ScriptEvaluateAsync(WriteIfNewer, [Key(view, row.EntityKey)], [row.EventTimestamp.Ticks, OnlineValues.ToJson(row.Values), expiry]));
        }

        batch.Execute();
        Task.WaitAll(pending);
    }

    /// <inheritdoc/>
    public OnlineRow? Read(string view, string entityKey) => Row(entityKey, _database.HashGet(Key(view, entityKey), s_fields));

    /// <inheritdoc/>
    public async Task<OnlineRow?> ReadAsync(string view, string entityKey) => Row(entityKey, await _database.HashGetAsync(Key(view, entityKey), s_fields));

    private static OnlineRow? Row(string entityKey, RedisValue[] values) =>
        values[0].IsNull || values[1].IsNull
            ? null
            : new OnlineRow(entityKey, new DateTime((long)values[0], DateTimeKind.Utc), OnlineValues.FromJson(values[1]!));

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private static RedisKey Key(string view, string entityKey) => $"notebookml:{view}:{entityKey}";
}
