using System.CommandLine;
using System.Globalization;
using NotebookMl.Core.Registry;
using NotebookMl.Extensions.Ml.Features;
using NotebookMl.Verbs;
using NotebookMl.Core.Registry.Events;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Extensions.Ml.Models;

/// <summary>
/// <c>models webhook add URL [--secret S] [--events T,…] [--model NAME]</c>, <c>list</c>, <c>remove ID</c> and
/// <c>deliveries [--webhook ID]</c>: registry events POSTed to URLs, signed with HMAC-SHA256, retried and recorded.
/// </summary>
internal static class WebhookCommands
{
    public static Command Create(IVerbContext context, Func<ModelRegistry> registry)
    {
        var command = new Command("webhook", "Registry events (model_version.created, alias.set, alias.deleted, model_version.archived) POSTed to a URL, signed (HMAC-SHA256), retried and recorded.");
        command.Subcommands.Add(Add(context, registry));
        command.Subcommands.Add(List(context, registry));
        command.Subcommands.Add(Remove(context, registry));
        command.Subcommands.Add(Deliveries(context, registry));
        return command;
    }

    private static Command Add(IVerbContext context, Func<ModelRegistry> registry)
    {
        var url = new Argument<string>("url") { Description = "The http(s) URL events are POSTed to." };
        var secret = new Option<string?>("--secret") { Description = "The signing secret (at least 8 characters); a random one is made and shown once when omitted." };
        var events = new Option<string?>("--events") { Description = $"Event types, comma-separated (default: all: {string.Join(", ", RegistryEventTypes.All)})." };
        var model = new Option<string?>("--model") { Description = "Only this model's events (default: every model's)." };
        var command = new Command("add", "Add a webhook.") { url, secret, events, model };
        command.SetAction(parse =>
        {
            var types = parse.GetValue(events)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var (webhook, key) = registry().Webhooks.Add(parse.GetValue(url)!, parse.GetValue(secret), types, parse.GetValue(model));
            context.Display(new TableResult(
                [new Table(["id", "url", "events", "model", "secret"], [[Id(webhook.Id), webhook.Url.ToString(), string.Join(", ", webhook.Events), webhook.Model ?? "all", key]]) { Title = "Webhook added; keep the secret to verify the X-NotebookMl-Signature header" }],
                new { id = webhook.Id, url = webhook.Url, events = webhook.Events, model = webhook.Model, secret = key }));
        });
        return command;
    }

    private static Command List(IVerbContext context, Func<ModelRegistry> registry)
    {
        var command = new Command("list", "The webhooks.");
        command.SetAction(_ =>
        {
            var hooks = registry().Webhooks.List();
            context.Display(new TableResult(
                [new Table(["id", "url", "events", "model", "added"], hooks.Select(w => (IReadOnlyList<string>)[Id(w.Id), w.Url.ToString(), string.Join(", ", w.Events), w.Model ?? "all", Tracking.Html.Time(w.Created)]).ToArray())
                    { Title = hooks.Count == 0 ? "No webhooks; add one with 'models webhook add URL'." : "Webhooks" }],
                hooks.Select(w => new { id = w.Id, url = w.Url, events = w.Events, model = w.Model, created = w.Created }).ToArray()));
        });
        return command;
    }

    private static Command Remove(IVerbContext context, Func<ModelRegistry> registry)
    {
        var id = new Argument<long>("id") { Description = "The webhook's id (see list)." };
        var command = new Command("remove", "Remove a webhook (its delivery record stays).") { id };
        command.SetAction(parse =>
        {
            registry().Webhooks.Remove(parse.GetValue(id));
            context.WriteLine($"removed webhook {Id(parse.GetValue(id))}");
        });
        return command;
    }

    private static Command Deliveries(IVerbContext context, Func<ModelRegistry> registry)
    {
        var webhook = new Option<long?>("--webhook") { Description = "Only this webhook's deliveries." };
        var limit = new Option<int>("--limit") { Description = "How many tries to show, newest first.", DefaultValueFactory = _ => 50 };
        var command = new Command("deliveries", "Every delivery try, newest first: event, attempt, HTTP status, error.") { webhook, limit };
        command.SetAction(parse =>
        {
            var hooks = registry().Webhooks;
            var tries = hooks.Deliveries(parse.GetValue(webhook), parse.GetValue(limit));
            var queued = hooks.Pending();
            var title = (tries.Count == 0 ? "No deliveries yet" : "Webhook deliveries, newest first") + (queued > 0 ? $"; {queued:N0} waiting for a try (delivered by the next NotebookMl process that changes or follows the registry)" : "");
            context.Display(new TableResult(
                [new Table(["time", "webhook", "event", "attempt", "status", "delivered", "error"],
                    tries.Select(d => (IReadOnlyList<string>)[Tracking.Html.Time(d.Time), Id(d.WebhookId), Id(d.EventId), Id(d.Attempt), d.Status is { } s ? Id(s) : "-", d.Delivered ? "yes" : "no", d.Error ?? ""]).ToArray())
                    { Title = title }],
                tries.Select(d => new { webhook_id = d.WebhookId, event_id = d.EventId, attempt = d.Attempt, time = d.Time, status = d.Status, delivered = d.Delivered, error = d.Error }).ToArray()));
        });
        return command;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
