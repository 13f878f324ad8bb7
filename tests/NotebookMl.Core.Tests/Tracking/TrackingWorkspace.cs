using NotebookMl.Core.Storage;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Tracking;

/// <summary>A tracker on a fresh temporary workspace.</summary>
internal sealed class TrackingWorkspace : IDisposable
{
    private readonly TestStore _store;

    public TrackingWorkspace(StoreEngine engine = StoreEngine.Sqlite)
    {
        _store = new(engine == StoreEngine.PostgreSql, "notebookml-tracking-");
        Folder = _store.Folder;
        Workspace = new WorkspaceLocation(Folder, Path.Combine(Folder, WorkspaceLocation.StateFolderName));
        Tracker = Tracker.Open(Workspace);
    }

    public string Folder { get; }

    public WorkspaceLocation Workspace { get; }

    public Tracker Tracker { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _store.Dispose();
    }
}
