using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NotebookMl.Runner.Parameters;

/// <summary>Reads a parameters file (<c>-f</c>): a JSON object or a YAML mapping of names to values.</summary>
public static class ParameterFile
{
    /// <summary>The file's values; errors name the file and what was expected.</summary>
    public static JsonObject Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ParameterException($"{path}: parameters file not found.");
        }

        var text = File.ReadAllText(path);
        return Path.GetExtension(path).ToLowerInvariant() is ".json" ? ReadJson(path, text) : ReadYaml(path, text);
    }

    private static JsonObject ReadJson(string path, string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new ParameterException($"{path}: expected a JSON object of parameter names to values.");
        }
        catch (JsonException e)
        {
            throw new ParameterException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message.Split('.')[0]}.");
        }
    }

    private static JsonObject ReadYaml(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ParameterException($"{path}: invalid YAML at line {e.Start.Line}: {e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new ParameterException($"{path}: expected a YAML mapping of parameter names to values.");
        }

        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            result[((YamlScalarNode)key).Value ?? ""] = ToJson(value);
        }

        return result;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null or "~" or "null" } scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => JsonValue.Create(node.ToString()),
    };
}
