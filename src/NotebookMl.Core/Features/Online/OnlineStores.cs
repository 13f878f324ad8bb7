using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Features.Online;

/// <summary>The online store a workspace's configuration names: embedded SQLite, or Redis.</summary>
public static class OnlineStores
{
    /// <summary>The store <paramref name="configuration"/>'s <c>online_store</c> names, over <paramref name="database"/> when it is SQLite.</summary>
    public static IOnlineStore Create(WorkspaceConfiguration configuration, WorkspaceDatabase database, TimeProvider? timeProvider = null) =>
        configuration.OnlineStore.StartsWith("redis://", StringComparison.Ordinal)
            ? RedisOnlineStore.Connect(configuration.OnlineStore["redis://".Length..], timeProvider)
            : new SqliteOnlineStore(database);
}
