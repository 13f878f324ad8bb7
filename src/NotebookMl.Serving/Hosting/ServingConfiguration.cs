using System.Globalization;
using NotebookMl.Core.Workspaces;
using NotebookMl.Serving.Models;
using YamlDotNet.RepresentationModel;

namespace NotebookMl.Serving.Hosting;

/// <summary>The <c>serving:</c> section of <c>notebookml.yaml</c>: per model, its fallback rule.</summary>
public static class ServingConfiguration
{
    /// <summary>The fallback rule of each model that has one; a malformed section is an <see cref="InvalidDataException"/> naming the file and line.</summary>
    public static IReadOnlyDictionary<string, FallbackRule> Fallbacks(WorkspaceLocation workspace)
    {
        var rules = new Dictionary<string, FallbackRule>(StringComparer.Ordinal);
        if (WorkspaceConfiguration.Section(workspace, "serving") is not { } section)
        {
            return rules;
        }

        var file = workspace.ConfigFile;
        var models = Mapping(file, "serving", section).Children.FirstOrDefault(c => Scalar(c.Key) == "models").Value;
        if (models is null)
        {
            return rules;
        }

        foreach (var (model, settings) in Mapping(file, "serving.models", models).Children)
        {
            var where = $"serving.models.{Scalar(model)}";
            foreach (var (key, value) in Mapping(file, where, settings).Children)
            {
                if (Scalar(key) != "fallback")
                {
                    throw new InvalidDataException($"{file}:{key.Start.Line}: {where}: unknown key '{Scalar(key)}'; expected: fallback.");
                }

                rules[Scalar(model)!] = Rule(file, $"{where}.fallback", value, workspace.Root);
            }
        }

        return rules;
    }

    private static FallbackRule Rule(string file, string where, YamlNode node, string root)
    {
        var (previous, constants, sql) = (false, new Dictionary<string, double>(StringComparer.Ordinal), (SqlFallback?)null);
        foreach (var (key, value) in Mapping(file, where, node).Children)
        {
            switch (Scalar(key))
            {
                case "previous_version":
                    previous = bool.TryParse(Scalar(value), out var flag) ? flag : throw new InvalidDataException($"{file}:{value.Start.Line}: {where}.previous_version: expected true or false.");
                    break;
                case "constant":
                    foreach (var (output, constant) in Mapping(file, $"{where}.constant", value).Children)
                    {
                        constants[Scalar(output)!] = double.TryParse(Scalar(constant), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                            ? number : throw new InvalidDataException($"{file}:{constant.Start.Line}: {where}.constant.{Scalar(output)}: expected a number.");
                    }

                    break;
                case "sql":
                    sql = Scalar(value) is { Length: > 0 } query ? new SqlFallback(query, root) { Where = $"{file}:{value.Start.Line}: {where}.sql" } : throw new InvalidDataException($"{file}:{value.Start.Line}: {where}.sql: expected a DuckDB query over the table 'request'.");
                    break;
                default:
                    throw new InvalidDataException($"{file}:{key.Start.Line}: {where}: unknown key '{Scalar(key)}'; expected: previous_version, sql, constant.");
            }
        }

        return previous || constants.Count > 0 || sql is not null
            ? new FallbackRule(previous, constants, sql)
            : throw new InvalidDataException($"{file}:{node.Start.Line}: {where}: give previous_version: true, sql: QUERY and/or constant: {{OUTPUT: VALUE}}.");
    }

    private static YamlMappingNode Mapping(string file, string where, YamlNode node) =>
        node as YamlMappingNode ?? throw new InvalidDataException($"{file}:{node.Start.Line}: {where}: expected a mapping.");

    private static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;
}
