using NotebookMl.Core.Storage;
using NotebookMl.Core.Features;
using NotebookMl.Core.Features.Online;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Features;

/// <summary>A feature store on a fresh temporary workspace.</summary>
internal sealed class FeatureWorkspace : IDisposable
{
    private readonly TestStore _store;

    public FeatureWorkspace(IOnlineStore? online = null, TimeProvider? timeProvider = null, StoreEngine engine = StoreEngine.Sqlite)
    {
        _store = new(engine == StoreEngine.PostgreSql, "notebookml-features-");
        Folder = _store.Folder;
        Workspace = new WorkspaceLocation(Folder, Path.Combine(Folder, WorkspaceLocation.StateFolderName));
        Store = FeatureStore.Open(Workspace, online, timeProvider);
    }

    public string Folder { get; }

    public WorkspaceLocation Workspace { get; }

    public FeatureStore Store { get; }

    public string Write(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store.Dispose();
    }
}
