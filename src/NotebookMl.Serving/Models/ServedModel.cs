using System.Collections.Concurrent;

namespace NotebookMl.Serving.Models;

/// <summary>A model the endpoint serves: its default version (what the serving alias points at), versions loaded by number, and why it is not ready.</summary>
internal sealed class ServedModel(string name)
{
    private ServedVersion? _default;

    public string Name { get; } = name;

    /// <summary>The version requests without a number get, or null.</summary>
    public ServedVersion? Default => Volatile.Read(ref _default);

    /// <summary>Versions asked for by number (other than the default), loaded on first use.</summary>
    public ConcurrentDictionary<int, Lazy<ServedVersion>> ByNumber { get; } = new();

    /// <summary>Shadow versions, each loaded apart with a sequential session (its runs stay on the shadow's low-priority thread).</summary>
    public ConcurrentDictionary<int, Lazy<ServedVersion>> Shadows { get; } = new();

    /// <summary>Why the model (or its last load) is not serving as asked, or null.</summary>
    public string? Reason { get; set; }

    /// <summary>True after an unload through the control API: nothing is served until it is loaded again.</summary>
    public bool Unloaded { get; set; }

    /// <summary>The field behind <see cref="Traffic"/> (swapped with compare-and-exchange when a version is found broken).</summary>
    public TrafficState TrafficField = TrafficState.None;

    /// <summary>The canary and shadow the registry sets for this model, with the versions their aliases point at.</summary>
    public TrafficState Traffic
    {
        get => Volatile.Read(ref TrafficField);
        set => Volatile.Write(ref TrafficField, value);
    }

    /// <summary>One swap or load at a time per model.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The version that served before the default, kept loaded for a previous-version fallback, or null.</summary>
    public ServedVersion? Previous { get; private set; }

    /// <summary>
    /// Makes <paramref name="next"/> the default. The one it replaces is retired (its requests in flight finish on it), or kept as
    /// <see cref="Previous"/> when <paramref name="keepPrevious"/>.
    /// </summary>
    public void Swap(ServedVersion? next, bool keepPrevious = false)
    {
        var replaced = Interlocked.Exchange(ref _default, next);
        if (keepPrevious && replaced is not null && next is not null)
        {
            Previous?.Retire();
            Previous = replaced;
        }
        else
        {
            replaced?.Retire();
            if (next is null)
            {
                Previous?.Retire();
                Previous = null;
            }
        }
    }
}
