using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Events;

/// <summary>
/// An in-process subscriber to the registry's events, from this process or any other: it reads the event
/// log after the last event it delivered, on a timer (every <c>interval</c>) and whenever <see cref="Poll"/>
/// is called; on a shared PostgreSQL store also the moment another process commits an event (LISTEN/NOTIFY), with the
/// timer as the fallback. Handlers run one at a time, in log order; a handler's exception is reported to
/// <c>onError</c> and does not stop later events. Dispose to stop.
/// </summary>
public sealed class RegistrySubscription : IDisposable
{
    private readonly ModelRegistry _registry;
    private readonly Action<RegistryEvent> _handler;
    private readonly Action<RegistryEvent, Exception>? _onError;
    private readonly ITimer? _timer;
    private readonly IDisposable? _listener;
    private readonly Lock _gate = new();
    private long _last;
    private bool _disposed;

    internal RegistrySubscription(
        ModelRegistry registry, long after, Action<RegistryEvent> handler, TimeSpan? interval, TimeProvider timeProvider, Action<RegistryEvent, Exception>? onError, Func<Action, IDisposable?> listen)
    {
        (_registry, _last, _handler, _onError) = (registry, after, handler, onError);
        if (interval is { } period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero, nameof(interval));
            _timer = timeProvider.CreateTimer(_ => Poll(), null, period, period);
            _listener = listen(() => Poll());
        }
    }

    /// <summary>The id of the last event delivered.</summary>
    public long LastEventId => Volatile.Read(ref _last);

    /// <summary>Delivers every event logged since the last one delivered; returns how many.</summary>
    public int Poll()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return 0;
            }

            var events = _registry.EventsAfter(_last);
            foreach (var change in events)
            {
                try
                {
                    _handler(change);
                }
                catch (Exception e) when (_onError is not null)
                {
                    _onError(change, e);
                }

                Volatile.Write(ref _last, change.Id);
            }

            return events.Count;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer?.Dispose();
        _listener?.Dispose();
    }
}
