using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Events;

/// <summary>A webhook: events of the given types (of one model, or all) are POSTed to <paramref name="Url"/>, signed with its secret.</summary>
/// <param name="Id">Its number.</param>
/// <param name="Url">The http(s) URL events are POSTed to.</param>
/// <param name="Events">The event types it receives (<see cref="RegistryEventTypes"/>).</param>
/// <param name="Model">Only this model's events, or null for every model's.</param>
/// <param name="Created">When it was added.</param>
public sealed record Webhook(long Id, Uri Url, IReadOnlyList<string> Events, string? Model, DateTimeOffset Created);

/// <summary>One attempt to deliver an event to a webhook, as the delivery record keeps it.</summary>
/// <param name="WebhookId">The webhook.</param>
/// <param name="EventId">The event (the same delivery id on every retry).</param>
/// <param name="Attempt">1 for the first try, 2 for the first retry, ….</param>
/// <param name="Time">When it was tried.</param>
/// <param name="Status">The HTTP status the receiver answered, or null when there was no answer.</param>
/// <param name="Error">Why it failed (status, timeout, connection), or null when delivered.</param>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
public sealed record WebhookDelivery(long WebhookId, long EventId, int Attempt, DateTimeOffset Time, int? Status, string? Error, bool Delivered);

/// <summary>How deliveries are retried: <see cref="Attempts"/> tries, waiting <see cref="FirstDelay"/> and then twice as long each time.</summary>
public sealed record WebhookRetryOptions
{
    /// <summary>Tries in all (at least 1).</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>The wait before the first retry; each later wait doubles.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>How long one try may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the options; a bad value is an <see cref="ArgumentException"/> naming it.</summary>
    public WebhookRetryOptions Validate()
    {
        if (Attempts < 1)
        {
            throw new ArgumentException($"{nameof(Attempts)}: {Attempts} tries; expected at least 1.", nameof(Attempts));
        }

        if (FirstDelay < TimeSpan.Zero || Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(Timeout)}: delays must not be negative and the timeout must be positive.", nameof(Timeout));
        }

        return this;
    }
}
