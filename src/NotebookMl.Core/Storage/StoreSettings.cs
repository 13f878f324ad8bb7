using NotebookMl.Core.Workspaces;
using YamlDotNet.RepresentationModel;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Which store a workspace uses: <c>NOTEBOOKML_STORE</c> when set, else <c>store:</c> in its <c>notebookml.yaml</c>,
/// else the embedded SQLite file (null here). A URL in the file must not carry a password.
/// </summary>
public static class StoreSettings
{
    /// <summary>The environment variable that names the store, overriding <c>notebookml.yaml</c>.</summary>
    public const string StoreVariable = "NOTEBOOKML_STORE";

    /// <summary>The shared store <paramref name="workspace"/> names, or null for the embedded one.</summary>
    public static StoreAddress? Of(WorkspaceLocation workspace)
    {
        if (Environment.GetEnvironmentVariable(StoreVariable) is { Length: > 0 } url)
        {
            return StoreAddress.Parse(url.Trim(), StoreVariable, allowPassword: true, workspace.Root);
        }

        if (WorkspaceConfiguration.Section(workspace, "store") is not { } node)
        {
            return null;
        }

        var origin = $"{workspace.ConfigFile}:{node.Start.Line}";
        return node is YamlScalarNode { Value: { Length: > 0 } value }
            ? StoreAddress.Parse(value.Trim(), origin, allowPassword: false, workspace.Root)
            : throw new InvalidDataException($"{origin}: store: expected a URL such as postgresql://USER@HOST:5432/DATABASE.");
    }
}
