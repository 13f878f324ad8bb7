using YamlDotNet.RepresentationModel;

namespace NotebookMl.Core.Workspaces;

/// <summary>
/// <c>notebookml.yaml</c> in the workspace root: which backends to use. Everything is optional; the
/// embedded defaults need no server. Keys: <c>online_store</c> (<c>sqlite</c>, or a Redis address such as
/// <c>redis://localhost:6379</c>).
/// </summary>
public sealed record WorkspaceConfiguration(string OnlineStore)
{
    /// <summary>Reads the workspace's <c>notebookml.yaml</c>; absent means the defaults.</summary>
    public static WorkspaceConfiguration Read(WorkspaceLocation workspace)
    {
        var path = workspace.ConfigFile;
        if (!File.Exists(path))
        {
            return new WorkspaceConfiguration("sqlite");
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

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new WorkspaceConfiguration("sqlite");
        }

        var online = "sqlite";
        foreach (var (key, value) in root.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            switch (name)
            {
                case "online_store":
                    online = (value as YamlScalarNode)?.Value ?? throw new InvalidDataException($"{path}:{value.Start.Line}: online_store: expected sqlite or redis://HOST:PORT.");
                    if (online != "sqlite" && !online.StartsWith("redis://", StringComparison.Ordinal))
                    {
                        throw new InvalidDataException($"{path}:{value.Start.Line}: online_store: expected sqlite or redis://HOST:PORT, got '{online}'.");
                    }

                    break;
                default:
                    throw new InvalidDataException($"{path}:{key.Start.Line}: unknown key '{name}'; expected: online_store.");
            }
        }

        return new WorkspaceConfiguration(online);
    }
}
