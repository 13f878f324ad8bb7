namespace NotebookMl.Core.Workspaces;

/// <summary>
/// Where a workspace keeps its state, found the way git finds a repository: <c>$NOTEBOOKML_HOME</c>
/// (the state folder itself) when set, else the nearest folder at or above the working directory
/// that holds <c>.notebookml/</c> or <c>notebookml.yaml</c>. That folder is the workspace root.
/// Reading never creates a workspace (<see cref="CurrentExisting"/>); writing where there is none
/// creates one in the working directory (<see cref="Current"/>), as MLflow creates <c>mlruns/</c>.
/// </summary>
public sealed record WorkspaceLocation(string Root, string StateFolder)
{
    /// <summary>The name of the state folder.</summary>
    public const string StateFolderName = ".notebookml";

    /// <summary>The name of the optional configuration file in the workspace root.</summary>
    public const string ConfigFileName = "notebookml.yaml";

    /// <summary>The environment variable that names the state folder, overriding discovery.</summary>
    public const string HomeVariable = "NOTEBOOKML_HOME";

    /// <summary>The configuration file's path (it may not exist).</summary>
    public string ConfigFile => Path.Combine(Root, ConfigFileName);

    /// <summary>Whether this workspace exists: its state folder or its configuration file is there.</summary>
    public bool Exists => Directory.Exists(StateFolder) || File.Exists(ConfigFile);

    /// <summary>
    /// The workspace for <paramref name="workingDirectory"/>, or null where there is none;
    /// <paramref name="home"/> is <c>$NOTEBOOKML_HOME</c>.
    /// </summary>
    public static WorkspaceLocation? Discover(string workingDirectory, string? home)
    {
        if (!string.IsNullOrWhiteSpace(home))
        {
            var state = Path.GetFullPath(home, workingDirectory).TrimEnd(Path.DirectorySeparatorChar);
            return new WorkspaceLocation(Path.GetDirectoryName(state) ?? state, state);
        }

        for (var dir = new DirectoryInfo(Path.GetFullPath(workingDirectory)); dir is not null; dir = dir.Parent)
        {
            var candidate = At(dir.FullName);
            if (candidate.Exists)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The discovered workspace, else one (not created yet) in <paramref name="workingDirectory"/>.</summary>
    public static WorkspaceLocation Find(string workingDirectory, string? home) =>
        Discover(workingDirectory, home) ?? At(workingDirectory);

    /// <summary>The workspace whose root is <paramref name="folder"/>, whether or not it exists.</summary>
    public static WorkspaceLocation At(string folder)
    {
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        root = root.Length == 0 ? Path.DirectorySeparatorChar.ToString() : root;
        return new WorkspaceLocation(root, Path.Combine(root, StateFolderName));
    }

    /// <summary>The workspace of the current process, for writing: where none is found, one in the working directory.</summary>
    public static WorkspaceLocation Current() =>
        Find(Environment.CurrentDirectory, Environment.GetEnvironmentVariable(HomeVariable));

    /// <summary>The workspace of the current process, for reading: where none is found, a <see cref="WorkspaceNotFoundException"/>.</summary>
    public static WorkspaceLocation CurrentExisting()
    {
        var found = Discover(Environment.CurrentDirectory, Environment.GetEnvironmentVariable(HomeVariable))
            ?? throw new WorkspaceNotFoundException(Environment.CurrentDirectory);
        // NOTEBOOKML_HOME names the state folder itself: a read there must find it, never make it.
        return Directory.Exists(found.StateFolder) || found.Exists ? found : throw WorkspaceNotFoundException.HomeMissing(found.StateFolder);
    }

    /// <summary>Creates the state folder if it does not exist yet.</summary>
    public WorkspaceLocation EnsureCreated()
    {
        Directory.CreateDirectory(StateFolder);
        return this;
    }
}
