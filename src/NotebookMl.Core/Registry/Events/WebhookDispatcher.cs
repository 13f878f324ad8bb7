using System.Data.Common;
using System.Globalization;
using System.Text;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Storage;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry.Events;

/// <summary>
/// Delivers the webhook outbox (table <c>webhook_outbox</c>) in the background: each due delivery is claimed (so two
/// processes never try it at once), tried on its own task, recorded, and either removed (delivered, or out of tries) or
/// put back with its next try due after a doubling wait. A dead hook therefore delays neither the change that fired it
/// nor the other hooks. It runs in any process that queued a delivery or follows the registry (an endpoint); a try cut off
/// by the process ending is claimed again once its claim expires. At exit the process gives the tries in flight a moment.
/// </summary>
internal sealed class WebhookDispatcher(WorkspaceDatabase database, TimeProvider time, HttpClient http, Func<WebhookRetryOptions> retry)
{
    private static readonly TimeSpan s_exitGrace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_followEvery = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Lock _gate = new();
    private readonly List<Task> _inFlight = [];
    private Task? _loop;
    private bool _follow;
    private bool _exitHooked;

    /// <summary>Starts the dispatcher if it is not running, and has it look at the outbox now. It stops when the outbox is empty.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            if (_loop is null)
            {
                _loop = Task.Run(LoopAsync);
                if (!_exitHooked)
                {
                    _exitHooked = true;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => WaitForTries(s_exitGrace);
                }
            }
        }

        _wake.Release();
    }

    /// <summary>Keeps the dispatcher running for the process's life, looking every few seconds for deliveries other processes left due.</summary>
    public void Follow()
    {
        lock (_gate)
        {
            _follow = true;
        }

        Wake();
    }

    /// <summary>Waits until the outbox is empty (every delivery done or out of tries), or <paramref name="timeout"/> passed; true when empty.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        Wake();
        while (Pending() > 0)
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
        }

        return true;
    }

    /// <summary>Deliveries still in the outbox.</summary>
    public long Pending()
    {
        using var connection = database.Connect();
        return (long)Scalar(connection, "SELECT count(*) FROM webhook_outbox")!;
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            TimeSpan wait;
            try
            {
                wait = ClaimDue();
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException)
            {
                // The store is busy or gone for a moment: look again shortly.
                wait = TimeSpan.FromSeconds(1);
            }

            lock (_gate)
            {
                if (_follow)
                {
                    wait = wait == Timeout.InfiniteTimeSpan || wait > s_followEvery ? s_followEvery : wait;
                }
                else if (wait == Timeout.InfiniteTimeSpan && _wake.CurrentCount == 0 && _inFlight.All(t => t.IsCompleted))
                {
                    // Nothing queued and nothing being tried: the next delivery starts the loop again.
                    _loop = null;
                    return;
                }
            }

            using var woken = new CancellationTokenSource();
            await Task.WhenAny(_wake.WaitAsync(woken.Token), Task.Delay(wait, time, woken.Token));
            await woken.CancelAsync();
        }
    }

    // Claims every due delivery and starts its try; returns how long until the next one is due.
    private TimeSpan ClaimDue()
    {
        var options = retry().Validate();
        var now = time.GetUtcNow();
        var claimed = new List<(long Webhook, long Event, int Attempts)>();
        using (var connection = database.Connect())
        {
            // A claim lasts as long as a try may take, and a little more: a process that dies mid-try leaves it to be tried again.
            using var claim = Command(connection, """
                UPDATE webhook_outbox SET claimed_until = @until
                WHERE due <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                RETURNING webhook_id, event_id, attempts
                """, ("@now", TimeText(now)), ("@until", TimeText(now + options.Timeout + TimeSpan.FromSeconds(5))));
            using var reader = claim.ExecuteReader();
            while (reader.Read())
            {
                claimed.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)));
            }
        }

        foreach (var (webhook, change, attempts) in claimed)
        {
            var attempt = Task.Run(() => TryAsync(webhook, change, attempts + 1, options));
            lock (_gate)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                _inFlight.Add(attempt);
            }
        }

        using var next = database.Connect();
        return Scalar(next, "SELECT MIN(MAX(due, COALESCE(claimed_until, due))) FROM webhook_outbox") is string due
            ? TimeSpan.FromTicks(Math.Max(0, (ParseTime(due) - time.GetUtcNow()).Ticks))
            : Timeout.InfiniteTimeSpan;
    }

    private async Task TryAsync(long webhookId, long eventId, int attempt, WebhookRetryOptions options)
    {
        try
        {
            RegistryEvent? change;
            (Uri Url, string Secret)? hook;
            using (var connection = database.Connect())
            {
                change = RegistryEventLog.Read(connection, eventId);
                using var read = Command(connection, "SELECT url, secret FROM webhooks WHERE id = @id", ("@id", webhookId));
                using var reader = read.ExecuteReader();
                hook = reader.Read() ? (new Uri(reader.GetString(0)), reader.GetString(1)) : null;
            }

            if (change is null || hook is not { } target)
            {
                // The webhook was removed since: nothing to deliver.
                Finish(webhookId, eventId);
                return;
            }

            var tried = time.GetUtcNow();
            var (status, error) = await PostAsync(target.Url, change, $"{eventId}-{webhookId}", tried.ToUnixTimeSeconds(), target.Secret, options.Timeout);
            using var record = database.Connect();
            Execute(record, "INSERT INTO webhook_deliveries (webhook_id, event_id, attempt, time, status, error, delivered) VALUES (@w, @e, @a, @t, @s, @err, @d)",
                ("@w", webhookId), ("@e", eventId), ("@a", attempt), ("@t", TimeText(tried)), ("@s", status), ("@err", error), ("@d", error is null));
            if (error is null || attempt >= options.Attempts)
            {
                Finish(webhookId, eventId);
                return;
            }

            var wait = options.FirstDelay * Math.Pow(2, attempt - 1);
            Execute(record, "UPDATE webhook_outbox SET attempts = @a, due = @due, claimed_until = NULL WHERE webhook_id = @w AND event_id = @e",
                ("@a", attempt), ("@due", TimeText(time.GetUtcNow() + wait)), ("@w", webhookId), ("@e", eventId));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException)
        {
            // Not recorded: the claim expires and the try is made again.
        }
        finally
        {
            // The loop looks again: at the next due time, or to stop when nothing is left.
            Wake();
        }
    }

    private void Finish(long webhookId, long eventId)
    {
        using var connection = database.Connect();
        Execute(connection, "DELETE FROM webhook_outbox WHERE webhook_id = @w AND event_id = @e", ("@w", webhookId), ("@e", eventId));
    }

    private async Task<(int? Status, string? Error)> PostAsync(Uri url, RegistryEvent change, string delivery, long timestamp, string secret, TimeSpan timeout)
    {
        var body = RegistryWebhooks.Payload(change);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-NotebookMl-Event", change.Type);
        request.Headers.Add("X-NotebookMl-Delivery", delivery);
        request.Headers.Add("X-NotebookMl-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(RegistryWebhooks.SignatureHeader, RegistryWebhooks.Sign(secret, delivery, timestamp, body));
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            using var response = await http.SendAsync(request, cancellation.Token);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException)
        {
            return (null, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
    }

    private void WaitForTries(TimeSpan grace)
    {
        // What this process queued may not be claimed yet (the loop had no turn before the process began to exit): give it
        // the grace to claim and try, bounded in real time, then wait for the tries in flight.
        try
        {
            Task.Run(() => DrainAsync(grace, CancellationToken.None)).Wait(grace);
        }
        catch (AggregateException)
        {
            // The store is gone at exit: the deliveries stay queued for the next process that follows the registry.
        }

        Task[] running;
        lock (_gate)
        {
            running = _inFlight.Where(t => !t.IsCompleted).ToArray();
        }

        Task.WaitAll(running, grace);
    }
}
