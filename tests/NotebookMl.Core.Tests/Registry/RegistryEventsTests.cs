using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;
using NotebookMl.Core.Registry.Events;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Tests.Registry;

/// <summary>The registry's events: the append-only log, in-process subscribers across registries, and webhooks checked by a real HTTP listener.</summary>
public abstract class RegistryEventsTests(StoreEngine engine) : IDisposable
{
    private readonly TestStore _store = new(engine == StoreEngine.PostgreSql, "notebookml-events-");

    private WorkspaceLocation Workspace => new(_store.Folder, Path.Combine(_store.Folder, WorkspaceLocation.StateFolderName));

    [Fact]
    public void Every_change_is_an_event_and_a_subscriber_sees_changes_made_by_another_registry_in_order()
    {
        var watcher = ModelRegistry.Open(Workspace);
        watcher.Register("delays", new ModelRegistration([1]));
        var seen = new List<RegistryEvent>();
        using var subscription = watcher.Subscribe(seen.Add, TimeSpan.FromHours(1));

        // Another registry: as another process would, with its own connections.
        var writer = ModelRegistry.Open(Workspace);
        writer.Register("delays", new ModelRegistration([2]));
        writer.SetAlias("delays", "champion", 2, "better");
        writer.DeleteAlias("delays", "champion");
        writer.Archive("delays", 1);
        if (engine == StoreEngine.PostgreSql)
        {
            // A shared store wakes the subscriber as each change commits (LISTEN/NOTIFY): no poll, and the hourly timer has not fired.
            Assert.True(SpinWait.SpinUntil(() => subscription.LastEventId == watcher.EventsAfter(0)[^1].Id, TimeSpan.FromSeconds(5)), $"{seen.Count} of 4 events pushed");
        }
        else
        {
            Assert.Equal(4, subscription.Poll());
        }

        Assert.Equal(
            [(RegistryEventTypes.VersionCreated, (int?)2, (string?)null, (int?)null), (RegistryEventTypes.AliasSet, 2, "champion", null),
             (RegistryEventTypes.AliasDeleted, null, "champion", 2), (RegistryEventTypes.VersionArchived, 1, null, null)],
            seen.Select(e => (e.Type, e.Version, e.Alias, e.FromVersion)));
        Assert.Equal(seen.Select(e => e.Id).Order(), seen.Select(e => e.Id));
        Assert.Equal(0, subscription.Poll());
        Assert.Equal(5, watcher.EventsAfter(0).Count);
    }

    [Fact]
    public void A_handler_that_throws_is_reported_and_later_events_still_arrive()
    {
        var registry = ModelRegistry.Open(Workspace);
        var (seen, failed) = (new List<long>(), new List<long>());
        using var subscription = registry.Subscribe(e => { if (e.Version == 1) { throw new InvalidOperationException("boom"); } seen.Add(e.Id); }, TimeSpan.FromHours(1), (e, _) => failed.Add(e.Id));

        registry.Register("delays", new ModelRegistration([1]));
        registry.Register("delays", new ModelRegistration([2]));
        subscription.Poll();

        Assert.Equal([1L], failed);
        Assert.Equal([2L], seen);
    }

    [Fact]
    public async Task Webhooks_are_signed_retried_after_a_500_and_every_try_is_recorded()
    {
        using var receiver = new WebhookReceiver(500, 200);
        var registry = ModelRegistry.Open(Workspace);
        registry.Webhooks.Retry = new WebhookRetryOptions { FirstDelay = TimeSpan.FromMilliseconds(50) };
        var (webhook, secret) = registry.Webhooks.Add(receiver.Url, "a shared secret", [RegistryEventTypes.AliasSet], model: "delays");
        registry.Register("delays", new ModelRegistration([1]));
        registry.Register("other", new ModelRegistration([1]));
        registry.SetAlias("other", "champion", 1);

        registry.SetAlias("delays", "champion", 1, "first");

        var requests = await receiver.WaitForAsync(2);
        Assert.Equal(2, requests.Count);
        var request = requests[1];
        Assert.Equal(requests[0].Body, request.Body);
        Assert.Equal(requests[0].Headers["X-NotebookMl-Delivery"], request.Headers["X-NotebookMl-Delivery"]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes($"{request.Headers["X-NotebookMl-Delivery"]}.{request.Headers["X-NotebookMl-Timestamp"]}.{request.Body}")));
        Assert.Equal(expected, request.Headers[RegistryWebhooks.SignatureHeader]);
        Assert.Equal("alias.set", request.Headers["X-NotebookMl-Event"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(("delays", "champion", 1, "models:/delays/1"),
            (body.RootElement.GetProperty("model").GetString(), body.RootElement.GetProperty("alias").GetString(), body.RootElement.GetProperty("version").GetInt32(), body.RootElement.GetProperty("uri").GetString()));

        Assert.True(await registry.Webhooks.DrainAsync(TimeSpan.FromSeconds(30)));
        var tries = registry.Webhooks.Deliveries(webhook.Id);
        Assert.Equal([(2, (int?)200, true, (string?)null), (1, 500, false, "HTTP 500 Internal Server Error")], tries.Select(d => (d.Attempt, d.Status, d.Delivered, d.Error)));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_well_is_tried_the_configured_number_of_times_and_the_change_still_stands()
    {
        using var receiver = new WebhookReceiver(503);
        var registry = ModelRegistry.Open(Workspace);
        registry.Webhooks.Retry = new WebhookRetryOptions { Attempts = 3, FirstDelay = TimeSpan.FromMilliseconds(10) };
        registry.Webhooks.Add(receiver.Url, "a shared secret");

        var version = registry.Register("delays", new ModelRegistration([1]));

        Assert.Equal(1, version.Version);
        Assert.True(await registry.Webhooks.DrainAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([3, 2, 1], registry.Webhooks.Deliveries().Select(d => d.Attempt));
        Assert.All(registry.Webhooks.Deliveries(), d => Assert.False(d.Delivered));
        Assert.Equal(0, registry.Webhooks.Pending());
    }

    [Fact]
    public async Task A_dead_hook_holds_up_neither_the_change_nor_a_working_hook_and_its_retries_stay_queued()
    {
        using var working = new WebhookReceiver(200);
        var registry = ModelRegistry.Open(Workspace);
        registry.Webhooks.Retry = new WebhookRetryOptions { Attempts = 3, FirstDelay = TimeSpan.FromSeconds(30) };
        // Added first: a closed port (connection refused), then a receiver that answers.
        var (dead, _) = registry.Webhooks.Add($"http://127.0.0.1:{ClosedPort()}/hook", "a shared secret");
        var (alive, _) = registry.Webhooks.Add(working.Url, "a shared secret");

        registry.Register("delays", new ModelRegistration([1]));
        await working.WaitForAsync(1);

        Assert.True(await WaitAsync(() => registry.Webhooks.Deliveries(dead.Id).Count == 1));
        Assert.Equal((1, false), registry.Webhooks.Deliveries(dead.Id).Select(d => (d.Attempt, d.Delivered)).Single());
        Assert.Equal((1, true), registry.Webhooks.Deliveries(alive.Id).Select(d => (d.Attempt, d.Delivered)).Single());
        // The dead hook's next try waits in the outbox (30 s away), not in the command that made the change.
        Assert.Equal(1, registry.Webhooks.Pending());
    }

    private static int ClosedPort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static async Task<bool> WaitAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if (condition())
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public void A_bad_webhook_is_refused_with_the_option_named()
    {
        var registry = ModelRegistry.Open(Workspace);

        Assert.StartsWith("the webhook URL 'ftp://x' is not an http(s) URL.", Assert.Throws<ArgumentException>(() => registry.Webhooks.Add("ftp://x")).Message);
        Assert.StartsWith("events: 'alias.moved' is not an event type", Assert.Throws<ArgumentException>(() => registry.Webhooks.Add("http://127.0.0.1:9/x", events: ["alias.moved"])).Message);
        Assert.StartsWith("id: there is no webhook 7", Assert.Throws<ArgumentException>(() => registry.Webhooks.Remove(7)).Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store.Dispose();
    }
}

/// <summary>Registry events on the embedded store.</summary>
public sealed class RegistryEventsTestsOnSqlite() : RegistryEventsTests(StoreEngine.Sqlite);

/// <summary>Registry events on PostgreSQL.</summary>
public sealed class RegistryEventsTestsOnPostgreSql() : RegistryEventsTests(StoreEngine.PostgreSql);
