namespace NotebookMl.Core.Workspaces;

/// <summary>
/// Where a workspace keeps its state: <c>$NOTEBOOKML_HOME</c> when set, else the nearest
/// <c>.notebookml/</c> folder at or above the working directory, else <c>./.notebookml/</c>.
/// The folder holding it is the workspace root, where an optional <c>notebookml.yaml</c> lives.
/// </summary>
public sealed record WorkspaceLocation(string Root, string StateFolder)
{
    /// <summary>The name of the state folder.</summary>
    public const string StateFolderName = ".notebookml";

    /// <summary>The name of the optional configuration file in the workspace root.</summary>
    public const string ConfigFileName = "notebookml.yaml";

    /// <summary>The configuration file's path (it may not exist).</summary>
    public string ConfigFile => Path.Combine(Root, ConfigFileName);

    /// <summary>Finds the workspace for <paramref name="workingDirectory"/>; <paramref name="home"/> is <c>$NOTEBOOKML_HOME</c>.</summary>
    public static WorkspaceLocation Find(string workingDirectory, string? home)
    {
        if (!string.IsNullOrWhiteSpace(home))
        {
            var state = Path.GetFullPath(home, workingDirectory);
            return new WorkspaceLocation(Path.GetDirectoryName(state.TrimEnd(Path.DirectorySeparatorChar)) ?? state, state);
        }

        for (var dir = new DirectoryInfo(Path.GetFullPath(workingDirectory)); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, StateFolderName)))
            {
                return new WorkspaceLocation(dir.FullName, Path.Combine(dir.FullName, StateFolderName));
            }
        }

        var root = Path.GetFullPath(workingDirectory);
        return new WorkspaceLocation(root, Path.Combine(root, StateFolderName));
    }

    /// <summary>The workspace of the current process (its working directory and <c>NOTEBOOKML_HOME</c>).</summary>
    public static WorkspaceLocation Current() =>
        Find(Environment.CurrentDirectory, Environment.GetEnvironmentVariable("NOTEBOOKML_HOME"));

    /// <summary>Creates the state folder if it does not exist yet.</summary>
    public WorkspaceLocation EnsureCreated()
    {
        Directory.CreateDirectory(StateFolder);
        return this;
    }
}
