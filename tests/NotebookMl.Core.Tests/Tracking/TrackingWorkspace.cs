using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Tests.Tracking;

/// <summary>A tracker on a fresh temporary workspace.</summary>
internal sealed class TrackingWorkspace : IDisposable
{
    public TrackingWorkspace()
    {
        Workspace = new WorkspaceLocation(Folder, Path.Combine(Folder, WorkspaceLocation.StateFolderName));
        Tracker = Tracker.Open(Workspace);
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("notebookml-tracking-").FullName;

    public WorkspaceLocation Workspace { get; }

    public Tracker Tracker { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
