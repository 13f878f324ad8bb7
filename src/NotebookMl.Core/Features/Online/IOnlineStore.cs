namespace NotebookMl.Core.Features.Online;

/// <summary>Where materialized feature values are looked up by key: embedded SQLite by default, Redis when configured.</summary>
public interface IOnlineStore : IDisposable
{
    /// <summary>
    /// Stores rows of <paramref name="view"/>; a row older than the stored one for its key is ignored. Their TTL runs from
    /// <paramref name="asOf"/> (null: the store's clock).
    /// </summary>
    void Write(string view, IReadOnlyList<OnlineRow> rows, TimeSpan? ttl, DateTime? asOf = null);

    /// <summary>The stored row of <paramref name="view"/> for <paramref name="entityKey"/>, or null.</summary>
    OnlineRow? Read(string view, string entityKey);

    /// <summary>As <see cref="Read"/>, without holding a thread while a server answers (an endpoint looks up under load).</summary>
    Task<OnlineRow?> ReadAsync(string view, string entityKey) => Task.FromResult(Read(view, entityKey));
}
