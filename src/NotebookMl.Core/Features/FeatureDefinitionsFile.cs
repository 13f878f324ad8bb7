using NotebookMl.Core.Time;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NotebookMl.Core.Features;

/// <summary>
/// Reads a feature definitions file (YAML; format in the README, "Feature store"): <c>entities</c>
/// and <c>feature_views</c>. Errors name the file, line and key; unknown keys are errors.
/// </summary>
public static class FeatureDefinitionsFile
{
    private static readonly string[] s_viewKeys = ["entities", "source", "timestamp", "created_timestamp", "ttl", "query", "features", "aggregates", "description"];

    /// <summary>Reads <paramref name="path"/>; relative sources start at its folder.</summary>
    public static FeatureDefinitions Read(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: feature definitions file not found.");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path}:{e.Start.Line}: invalid YAML: {e.Message}");
        }

        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException($"{path}: expected a mapping with 'entities:' and 'feature_views:'.");
        }

        var entities = new List<Entity>();
        var views = new List<FeatureView>();
        foreach (var (key, value) in root.Children)
        {
            switch (Scalar(path, key, "a key"))
            {
                case "entities":
                    foreach (var (name, body) in Mapping(path, value, "entities").Children)
                    {
                        entities.Add(ReadEntity(path, Scalar(path, name, "an entity name"), Mapping(path, body, $"entities.{Scalar(path, name, "")}")));
                    }

                    break;
                case "feature_views":
                    foreach (var (name, body) in Mapping(path, value, "feature_views").Children)
                    {
                        views.Add(ReadView(path, Scalar(path, name, "a feature view name"), Mapping(path, body, $"feature_views.{Scalar(path, name, "")}")));
                    }

                    break;
                case var other:
                    throw Error(path, key, $"unknown key '{other}'; expected entities, feature_views");
            }
        }

        return new FeatureDefinitions(entities, views, Path.GetDirectoryName(path));
    }

    private static Entity ReadEntity(string path, string name, YamlMappingNode node)
    {
        string[] keys = [];
        string? description = null;
        foreach (var (key, value) in node.Children)
        {
            switch (Scalar(path, key, "a key"))
            {
                case "join_keys":
                    keys = Strings(path, value, $"entities.{name}.join_keys");
                    break;
                case "description":
                    description = Scalar(path, value, $"entities.{name}.description");
                    break;
                case var other:
                    throw Error(path, key, $"unknown key '{other}' in entities.{name}; expected join_keys, description");
            }
        }

        return new Entity(name, keys, description);
    }

    private static FeatureView ReadView(string path, string name, YamlMappingNode node)
    {
        string Where(string key) => $"feature_views.{name}.{key}";
        foreach (var key in node.Children.Keys.Select(k => Scalar(path, k, "a key")).Where(k => !s_viewKeys.Contains(k)))
        {
            throw Error(path, node.Children.Keys.First(k => Scalar(path, k, "") == key), $"unknown key '{key}' in feature_views.{name}; expected {string.Join(", ", s_viewKeys)}");
        }

        YamlNode? Child(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
        var features = new List<Feature>();
        if (Child("features") is { } featureNode)
        {
            foreach (var (feature, type) in Mapping(path, featureNode, Where("features")).Children)
            {
                var typeName = Scalar(path, type, Where("features"));
                features.Add(new Feature(Scalar(path, feature, ""), Enum.GetValues<FeatureType>().FirstOrDefault(t => t.ToString().Equals(typeName, StringComparison.OrdinalIgnoreCase), (FeatureType)(-1)) is var parsed && Enum.IsDefined(parsed)
                    ? parsed
                    : throw Error(path, type, $"{Where("features")}.{Scalar(path, feature, "")}: type '{typeName}'; use int64, double, string, bool or timestamp")));
            }
        }

        var aggregates = new List<WindowAggregate>();
        if (Child("aggregates") is { } aggregateNode)
        {
            foreach (var (aggregate, body) in Mapping(path, aggregateNode, Where("aggregates")).Children)
            {
                var fields = Mapping(path, body, Where("aggregates"));
                string Field(string key) => fields.Children.TryGetValue(new YamlScalarNode(key), out var v) ? Scalar(path, v, key)
                    : throw Error(path, body, $"{Where("aggregates")}.{Scalar(path, aggregate, "")}.{key} is missing (function, column, window)");
                var includeCurrent = fields.Children.TryGetValue(new YamlScalarNode("include_current"), out var current)
                    && (bool.TryParse(Scalar(path, current, "include_current"), out var include)
                        ? include
                        : throw Error(path, current, $"{Where("aggregates")}.{Scalar(path, aggregate, "")}.include_current: expected true or false"));
                aggregates.Add(new WindowAggregate(Scalar(path, aggregate, ""), Field("function"), Field("column"), Duration(path, body, $"{Where("aggregates")}.{Scalar(path, aggregate, "")}.window", Field("window")), includeCurrent));
            }
        }

        return new FeatureView
        {
            Name = name,
            Entities = Child("entities") is { } e ? Strings(path, e, Where("entities")) : throw Error(path, node, $"{Where("entities")} is missing"),
            Source = Child("source") is { } s ? Scalar(path, s, Where("source")) : throw Error(path, node, $"{Where("source")} is missing: a Parquet, CSV or Arrow file"),
            TimestampColumn = Child("timestamp") is { } t ? Scalar(path, t, Where("timestamp")) : "event_timestamp",
            CreatedTimestampColumn = Child("created_timestamp") is { } c ? Scalar(path, c, Where("created_timestamp")) : null,
            Ttl = Child("ttl") is { } ttl ? Duration(path, ttl, Where("ttl"), Scalar(path, ttl, Where("ttl"))) : null,
            Query = Child("query") is { } q ? Scalar(path, q, Where("query")) : null,
            Features = features,
            Aggregates = aggregates,
            Description = Child("description") is { } d ? Scalar(path, d, Where("description")) : null,
        };
    }

    private static TimeSpan Duration(string path, YamlNode node, string key, string text) =>
        Durations.TryParse(text) ?? throw Error(path, node, Durations.Invalid(key, text));

    private static YamlMappingNode Mapping(string path, YamlNode node, string where) =>
        node as YamlMappingNode ?? throw Error(path, node, $"{where}: expected a mapping");

    private static string[] Strings(string path, YamlNode node, string where) => node switch
    {
        YamlSequenceNode list => list.Children.Select(c => Scalar(path, c, where)).ToArray(),
        YamlScalarNode { Value: { } one } => [one],
        _ => throw Error(path, node, $"{where}: expected a list"),
    };

    private static string Scalar(string path, YamlNode node, string where) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(path, node, $"{where}: expected a single value");

    private static InvalidDataException Error(string path, YamlNode node, string message) => new($"{path}:{node.Start.Line}: {message}.");
}
