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

    [Fact]
    public void A_notebookml_yaml_marks_the_workspace_root_before_its_state_folder_exists()
    {
        File.WriteAllText(Path.Combine(_root, "notebookml.yaml"), "# workspace\n");
        var nested = Directory.CreateDirectory(Path.Combine(_root, "notebooks")).FullName;

        var location = WorkspaceLocation.Discover(nested, home: null);

        Assert.NotNull(location);
        Assert.Equal(_root, location.Root);
        Assert.True(location.Exists);
        Assert.False(Directory.Exists(location.StateFolder));
    }

    [Fact]
    public void The_nearest_marker_wins_over_one_further_up()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".notebookml"));
        var inner = Directory.CreateDirectory(Path.Combine(_root, "projects", "inner")).FullName;
        File.WriteAllText(Path.Combine(inner, "notebookml.yaml"), "");

        Assert.Equal(inner, WorkspaceLocation.Discover(Path.Combine(inner), home: null)!.Root);
        Assert.Equal(_root, WorkspaceLocation.Discover(Path.Combine(_root, "projects"), home: null)!.Root);
    }

    [Fact]
    public void Discovery_finds_nothing_and_creates_nothing_where_no_folder_is_marked()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_root, "a", "b")).FullName;

        Assert.Null(WorkspaceLocation.Discover(nested, home: null));
        Assert.False(WorkspaceLocation.At(nested).Exists);
        Assert.Empty(Directory.GetFileSystemEntries(nested));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
