namespace NotebookMl.Core.Workspaces;

/// <summary>A read found no workspace at or above <see cref="SearchedFrom"/>, or none where <c>NOTEBOOKML_HOME</c> points; nothing was created.</summary>
public sealed class WorkspaceNotFoundException : InvalidOperationException
{
    /// <summary>No workspace at or above <paramref name="searchedFrom"/>.</summary>
    public WorkspaceNotFoundException(string searchedFrom)
        : base($"no NotebookMl workspace in {searchedFrom} or any folder above it (none holds a {WorkspaceLocation.StateFolderName}/ folder or a {WorkspaceLocation.ConfigFileName} file); an empty {WorkspaceLocation.ConfigFileName} in the project's root folder makes it one, or set {WorkspaceLocation.HomeVariable}") =>
        SearchedFrom = searchedFrom;

    private WorkspaceNotFoundException(string stateFolder, string message)
        : base(message) => (SearchedFrom, FromHome) = (stateFolder, true);

    /// <summary>The folder the search started from (the state folder <c>NOTEBOOKML_HOME</c> named, when <see cref="FromHome"/>).</summary>
    public string SearchedFrom { get; }

    /// <summary>True when <c>NOTEBOOKML_HOME</c> named a state folder that does not exist.</summary>
    public bool FromHome { get; }

    /// <summary><c>NOTEBOOKML_HOME</c> names <paramref name="stateFolder"/>, which does not exist.</summary>
    public static WorkspaceNotFoundException HomeMissing(string stateFolder) =>
        new(stateFolder, $"{WorkspaceLocation.HomeVariable} is {stateFolder}, which does not exist; nothing was created there. Create the folder, or unset {WorkspaceLocation.HomeVariable} to find the workspace from the working directory.");
}
