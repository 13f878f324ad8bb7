using YamlDotNet.RepresentationModel;

namespace NotebookMl.Core.Workspaces;

/// <summary>
/// <c>notebookml.yaml</c> in the workspace root: which backends to use, and sections other components read
/// themselves. Everything is optional; the embedded defaults need no server. Keys: <c>online_store</c>
/// (<c>sqlite</c>: a table in the workspace store, or a Redis address such as <c>redis://localhost:6379</c>),
/// <c>store</c> and <c>artifacts</c> (a shared store and artifact root, read by the store layer), <c>registry</c> (promotion
/// gates, read by the registry) and <c>serving</c> (per-model fallbacks, read by the endpoint).
/// </summary>
public sealed record WorkspaceConfiguration(string OnlineStore)
{
    private static readonly string[] s_keys = ["online_store", "store", "artifacts", "registry", "serving"];

    /// <summary>Reads the workspace's <c>notebookml.yaml</c>; absent means the defaults.</summary>
    public static WorkspaceConfiguration Read(WorkspaceLocation workspace)
    {
        var online = "sqlite";
        if (Root(workspace) is not { } root)
        {
            return new WorkspaceConfiguration(online);
        }

        foreach (var (key, value) in root.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (!s_keys.Contains(name))
            {
                throw new InvalidDataException($"{workspace.ConfigFile}:{key.Start.Line}: unknown key '{name}'; expected: {string.Join(", ", s_keys)}.");
            }

            if (name == "online_store")
            {
                online = (value as YamlScalarNode)?.Value ?? throw new InvalidDataException($"{workspace.ConfigFile}:{value.Start.Line}: online_store: expected sqlite or redis://HOST:PORT.");
                if (online != "sqlite" && !online.StartsWith("redis://", StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{workspace.ConfigFile}:{value.Start.Line}: online_store: expected sqlite or redis://HOST:PORT, got '{online}'.");
                }
            }
        }

        return new WorkspaceConfiguration(online);
    }

    /// <summary>The top-level section <paramref name="key"/> of the workspace's <c>notebookml.yaml</c>, or null when there is none.</summary>
    public static YamlNode? Section(WorkspaceLocation workspace, string key) =>
        Root(workspace)?.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == key).Value;

    private static YamlMappingNode? Root(WorkspaceLocation workspace)
    {
        var path = workspace.ConfigFile;
        if (!File.Exists(path))
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}: invalid YAML: {e.Message}");
        }

        return stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
    }
}
