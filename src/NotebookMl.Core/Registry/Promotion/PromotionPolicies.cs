using System.Globalization;
using System.Text.Json;
using NotebookMl.Core.Options;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;
using YamlDotNet.RepresentationModel;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry.Promotion;

/// <summary>
/// Where per-model promotion gates are written: <c>notebookml.yaml</c>
/// (<c>registry: gates: MODEL: ALIAS: {require: [...], max_drift: PSI, drift_window: 7d, drift_min_rows: N}</c>) and the registry's
/// <c>promotion_policies</c> table (the C# API). Both apply.
/// </summary>
internal sealed class PromotionPolicies(WorkspaceDatabase database, WorkspaceLocation workspace)
{
    public PromotionPolicy For(string name, string alias)
    {
        var policy = FromYaml(name, alias);
        using var connection = database.Connect();
        using var command = Command(connection, "SELECT require, max_drift, drift_window_seconds, drift_min_rows FROM promotion_policies WHERE name = @n AND alias = @a", ("@n", name), ("@a", alias));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? policy.And(new PromotionPolicy(JsonSerializer.Deserialize<string[]>(reader.GetString(0))!, reader.IsDBNull(1) ? null : reader.GetDouble(1),
                reader.IsDBNull(2) ? null : TimeSpan.FromSeconds(reader.GetDouble(2)), reader.IsDBNull(3) ? null : reader.GetInt32(3)))
            : policy;
    }

    public void Set(string name, string alias, PromotionPolicy policy)
    {
        using var connection = database.Connect();
        if (policy.IsEmpty)
        {
            Execute(connection, "DELETE FROM promotion_policies WHERE name = @n AND alias = @a", ("@n", name), ("@a", alias));
            return;
        }

        Execute(connection, "INSERT INTO promotion_policies (name, alias, require, max_drift, drift_window_seconds, drift_min_rows) VALUES (@n, @a, @r, @d, @w, @m) ON CONFLICT(name, alias) DO UPDATE SET require = @r, max_drift = @d, drift_window_seconds = @w, drift_min_rows = @m",
            ("@n", name), ("@a", alias), ("@r", JsonSerializer.Serialize(policy.Require.Select(g => g.Text))), ("@d", policy.MaxDrift), ("@w", policy.DriftWindow?.TotalSeconds), ("@m", policy.DriftMinRows));
    }

    private PromotionPolicy FromYaml(string name, string alias)
    {
        if (WorkspaceConfiguration.Section(workspace, "registry") is not { } section)
        {
            return PromotionPolicy.None;
        }

        var file = workspace.ConfigFile;
        if (section is not YamlMappingNode registry)
        {
            throw new InvalidDataException($"{file}:{section.Start.Line}: registry: expected a mapping with 'gates'.");
        }

        foreach (var (key, value) in registry.Children)
        {
            if ((key as YamlScalarNode)?.Value != "gates")
            {
                throw new InvalidDataException($"{file}:{key.Start.Line}: registry: unknown key '{key}'; expected: gates.");
            }

            if (value is not YamlMappingNode models)
            {
                throw new InvalidDataException($"{file}:{value.Start.Line}: registry.gates: expected MODEL: ALIAS: {{require: [...], max_drift: PSI}}.");
            }

            foreach (var (model, aliases) in models.Children)
            {
                if (aliases is not YamlMappingNode byAlias)
                {
                    throw new InvalidDataException($"{file}:{aliases.Start.Line}: registry.gates.{model}: expected ALIAS: {{require: [...], max_drift: PSI}}.");
                }

                foreach (var (aliasKey, gates) in byAlias.Children)
                {
                    var policy = Parse(file, $"registry.gates.{model}.{aliasKey}", gates);
                    if ((model as YamlScalarNode)?.Value == name && (aliasKey as YamlScalarNode)?.Value == alias)
                    {
                        return policy;
                    }
                }
            }
        }

        return PromotionPolicy.None;
    }

    private static PromotionPolicy Parse(string file, string where, YamlNode node)
    {
        if (node is not YamlMappingNode gates)
        {
            throw new InvalidDataException($"{file}:{node.Start.Line}: {where}: expected require: [...] and/or max_drift: PSI.");
        }

        var (require, maxDrift, window, minRows) = (new List<string>(), (double?)null, (TimeSpan?)null, (int?)null);
        foreach (var (key, value) in gates.Children)
        {
            switch ((key as YamlScalarNode)?.Value)
            {
                case "require":
                    require.AddRange(value switch
                    {
                        YamlSequenceNode list => list.Children.Select(c => (c as YamlScalarNode)?.Value ?? ""),
                        YamlScalarNode one => [one.Value ?? ""],
                        _ => [""],
                    });
                    break;
                case "max_drift":
                    maxDrift = double.TryParse((value as YamlScalarNode)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var drift)
                        ? drift : throw new InvalidDataException($"{file}:{value.Start.Line}: {where}.max_drift: expected a number (PSI), e.g. 0.2.");
                    break;
                case "drift_window":
                    window = Time.Durations.TryParse((value as YamlScalarNode)?.Value ?? "") ?? throw new InvalidDataException($"{file}:{value.Start.Line}: {Time.Durations.Invalid($"{where}.drift_window", (value as YamlScalarNode)?.Value ?? "")}.");
                    break;
                case "drift_min_rows":
                    minRows = int.TryParse((value as YamlScalarNode)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
                        ? rows : throw new InvalidDataException($"{file}:{value.Start.Line}: {where}.drift_min_rows: expected a whole number of rows, e.g. 500.");
                    break;
                default:
                    throw new InvalidDataException($"{file}:{key.Start.Line}: {where}: unknown key '{key}'; expected: require, max_drift, drift_window, drift_min_rows.");
            }
        }

        try
        {
            return new PromotionPolicy(require, maxDrift, window, minRows);
        }
        catch (InvalidOptionException e)
        {
            throw new InvalidDataException($"{file}:{node.Start.Line}: {where}: {e.Reason}");
        }
    }
}
