namespace NotebookMl.Core.Workspaces;

/// <summary>A read found no workspace at or above <see cref="SearchedFrom"/>; nothing was created.</summary>
public sealed class WorkspaceNotFoundException(string searchedFrom)
    : InvalidOperationException($"no NotebookMl workspace in {searchedFrom} or any folder above it (none holds a {WorkspaceLocation.StateFolderName}/ folder or a {WorkspaceLocation.ConfigFileName} file); an empty {WorkspaceLocation.ConfigFileName} in the project's root folder makes it one, or set {WorkspaceLocation.HomeVariable}")
{
    /// <summary>The folder the search started from.</summary>
    public string SearchedFrom { get; } = searchedFrom;
}
