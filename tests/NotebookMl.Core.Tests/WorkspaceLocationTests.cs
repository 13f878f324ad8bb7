using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Tests;

public sealed class WorkspaceLocationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("notebookml-workspace-").FullName;

    [Fact]
    public void The_nearest_state_folder_above_the_working_directory_is_the_workspace()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".notebookml"));
        var nested = Directory.CreateDirectory(Path.Combine(_root, "notebooks", "daily")).FullName;

        var location = WorkspaceLocation.Find(nested, home: null);

        Assert.Equal(_root, location.Root);
        Assert.Equal(Path.Combine(_root, ".notebookml"), location.StateFolder);
        Assert.Equal(Path.Combine(_root, "notebookml.yaml"), location.ConfigFile);
    }

    [Fact]
    public void NOTEBOOKML_HOME_overrides_the_search()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".notebookml"));

        var location = WorkspaceLocation.Find(_root, home: "/srv/ml/state");

        Assert.Equal("/srv/ml/state", location.StateFolder);
    }

    [Fact]
    public void Without_a_state_folder_the_working_directory_becomes_the_workspace_once_created()
    {
        var location = WorkspaceLocation.Find(_root, home: null).EnsureCreated();

        Assert.Equal(_root, location.Root);
        Assert.True(Directory.Exists(Path.Combine(_root, ".notebookml")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
