using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Storage;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry.Events;

/// <summary>
/// The registry's webhooks and their delivery record. Each event is queued for every webhook that wants it right after
/// the change is committed, and POSTed as JSON in the background (<see cref="WebhookDispatcher"/>): the command that made
/// the change never waits for a receiver, and a dead receiver never holds up the others. Headers (as Standard
/// Webhooks and MLflow 3 do it): <c>X-NotebookMl-Event</c> (the type), <c>X-NotebookMl-Delivery</c> (the same on
/// every retry), <c>X-NotebookMl-Timestamp</c> (Unix seconds) and <c>X-NotebookMl-Signature</c>:
/// <c>v1,</c> + Base64(HMAC-SHA256(secret, DELIVERY + "." + TIMESTAMP + "." + BODY)). A try fails on no answer,
/// a timeout or a status other than 2xx, and is retried with doubling waits; every try is recorded, and what is still
/// queued is <see cref="Pending"/>.
/// </summary>
public sealed class RegistryWebhooks
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-NotebookMl-Signature";

    private readonly WorkspaceDatabase _database;
    private readonly TimeProvider _timeProvider;
    private readonly WebhookDispatcher _dispatcher;

    internal RegistryWebhooks(WorkspaceDatabase database, TimeProvider timeProvider, HttpClient http)
    {
        (_database, _timeProvider) = (database, timeProvider);
        _dispatcher = new WebhookDispatcher(database, timeProvider, http, () => Retry);
    }

    /// <summary>How deliveries are retried.</summary>
    public WebhookRetryOptions Retry { get; set; } = new();

    /// <summary>
    /// Adds a webhook for <paramref name="events"/> (every type when empty) of <paramref name="model"/> (every model when null);
    /// returns it with its secret (a random one when <paramref name="secret"/> is null).
    /// </summary>
    public (Webhook Webhook, string Secret) Add(string url, string? secret = null, IReadOnlyList<string>? events = null, string? model = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"the webhook URL '{url}' is not an http(s) URL.");
        }

        var types = events is { Count: > 0 } ? events : RegistryEventTypes.All;
        if (types.FirstOrDefault(t => !RegistryEventTypes.All.Contains(t)) is { } unknown)
        {
            throw new ArgumentException($"events: '{unknown}' is not an event type; expected {string.Join(", ", RegistryEventTypes.All)}.", nameof(events));
        }

        if (secret is { Length: < 8 })
        {
            throw new ArgumentException("secret: a signing secret needs at least 8 characters.", nameof(secret));
        }

        secret ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var now = _timeProvider.GetUtcNow();
        using var connection = _database.Connect();
        var id = (long)Scalar(connection, "INSERT INTO webhooks (url, secret, events, model, created) VALUES (@u, @s, @e, @m, @t) RETURNING id",
            ("@u", uri.ToString()), ("@s", secret), ("@e", JsonSerializer.Serialize(types)), ("@m", model), ("@t", TimeText(now)))!;
        return (new Webhook(id, uri, [.. types], model, now), secret);
    }

    /// <summary>Every webhook.</summary>
    public IReadOnlyList<Webhook> List() => Read(null).Select(w => w.Webhook).ToArray();

    /// <summary>Removes webhook <paramref name="id"/>; its delivery record stays.</summary>
    public void Remove(long id)
    {
        using var connection = _database.Connect();
        using var command = Command(connection, "DELETE FROM webhooks WHERE id = @id", ("@id", id));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new ArgumentException($"id: there is no webhook {id}; see 'webhook list'.", nameof(id));
        }
    }

    /// <summary>The delivery record, newest first: every try of every event (of one webhook when <paramref name="webhookId"/> is given).</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries(long? webhookId = null, int limit = 100)
    {
        using var connection = _database.Connect();
        using var command = Command(connection,
            $"SELECT webhook_id, event_id, attempt, time, status, error, delivered FROM webhook_deliveries {(webhookId is null ? "" : "WHERE webhook_id = @w")} ORDER BY id DESC LIMIT @l",
            ("@w", webhookId), ("@l", limit));
        using var reader = command.ExecuteReader();
        var deliveries = new List<WebhookDelivery>();
        while (reader.Read())
        {
            deliveries.Add(new WebhookDelivery(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), ParseTime(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6) != 0));
        }

        return deliveries;
    }

    /// <summary>The body a webhook receives for <paramref name="change"/>.</summary>
    public static string Payload(RegistryEvent change) => JsonSerializer.Serialize(new
    {
        id = change.Id,
        type = change.Type,
        model = change.Name,
        version = change.Version,
        alias = change.Alias,
        from_version = change.FromVersion,
        uri = change.Version is { } v ? $"models:/{change.Name}/{v}" : null,
        time = change.Time,
        who = change.Who,
    });

    /// <summary>The signature header's value for a delivery: <c>v1,</c> and the Base64 HMAC-SHA256 of DELIVERY.TIMESTAMP.BODY.</summary>
    public static string Sign(string secret, string delivery, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{delivery}.{timestamp}.{body}")));

    /// <summary>
    /// Queues <paramref name="change"/> for every webhook that wants it (one outbox row each) and wakes the dispatcher, which
    /// delivers them in the background with their retries: the change's command does not wait for any receiver.
    /// </summary>
    internal void Deliver(RegistryEvent change)
    {
        var hooks = Read(change);
        if (hooks.Count == 0)
        {
            return;
        }

        using (var connection = _database.Connect())
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var (webhook, _) in hooks)
            {
                Execute(connection, "INSERT INTO webhook_outbox (webhook_id, event_id, due) VALUES (@w, @e, @due) ON CONFLICT DO NOTHING",
                    ("@w", webhook.Id), ("@e", change.Id), ("@due", TimeText(_timeProvider.GetUtcNow())));
            }

            transaction.Commit();
        }

        _dispatcher.Wake();
    }

    /// <summary>Deliveries queued and not yet done (waiting for a try or a retry).</summary>
    public long Pending() => _dispatcher.Pending();

    /// <summary>
    /// Delivers what is queued and waits until nothing is (every delivery succeeded or ran out of tries), or until
    /// <paramref name="timeout"/>; true when the queue is empty. A pipeline that must not end before its hooks heard it calls this.
    /// </summary>
    public Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => _dispatcher.DrainAsync(timeout, cancellationToken);

    /// <summary>Keeps delivering for the life of the process, including what other processes queued (a long-running endpoint).</summary>
    internal void Follow() => _dispatcher.Follow();

    private List<(Webhook Webhook, string Secret)> Read(RegistryEvent? change)
    {
        using var connection = _database.Connect();
        using var command = Command(connection, "SELECT id, url, secret, events, model, created FROM webhooks ORDER BY id");
        using var reader = command.ExecuteReader();
        var hooks = new List<(Webhook, string)>();
        while (reader.Read())
        {
            var webhook = new Webhook(reader.GetInt64(0), new Uri(reader.GetString(1)), JsonSerializer.Deserialize<string[]>(reader.GetString(3))!,
                reader.IsDBNull(4) ? null : reader.GetString(4), ParseTime(reader.GetString(5)));
            if (change is null || (webhook.Events.Contains(change.Type) && (webhook.Model is null || webhook.Model == change.Name)))
            {
                hooks.Add((webhook, reader.GetString(2)));
            }
        }

        return hooks;
    }
}
