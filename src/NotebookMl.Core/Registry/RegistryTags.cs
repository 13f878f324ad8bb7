using System.Text.Json;
using NotebookMl.Core.Options;
using NotebookMl.Core.Storage;
using static NotebookMl.Core.Registry.RegistryQueries;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry;

/// <summary>Tags of registered models and versions: a JSON object per row, changed in one immediate transaction.</summary>
internal static class RegistryTags
{
    public static void Set(WorkspaceDatabase database, string name, int? version, string key, string? value)
    {
        Checked(new Dictionary<string, string> { [key ?? ""] = value ?? "" });
        using var connection = database.Connect();
        using var transaction = connection.BeginWrite();
        RequireModel(connection, name);
        if (version is { } number && ReadVersion(connection, name, number) is null)
        {
            throw UnknownVersion(connection, name, number);
        }

        var (table, where) = version is null ? ("registered_models", "name = @n") : ("model_versions", "name = @n AND version = @v");
        var tags = JsonSerializer.Deserialize<Dictionary<string, string>>((string)Scalar(connection, $"SELECT tags FROM {table} WHERE {where}", ("@n", name), ("@v", version))!)!;
        if (value is null)
        {
            tags.Remove(key!);
        }
        else
        {
            tags[key!] = value;
        }

        Execute(connection, $"UPDATE {table} SET tags = @t WHERE {where}", ("@n", name), ("@v", version), ("@t", JsonSerializer.Serialize(tags)));
        transaction.Commit();
    }

    public static IReadOnlyDictionary<string, string> OfModel(WorkspaceDatabase database, string name)
    {
        using var connection = database.Connect();
        RequireModel(connection, name);
        return JsonSerializer.Deserialize<Dictionary<string, string>>((string)Scalar(connection, "SELECT tags FROM registered_models WHERE name = @n", ("@n", name))!)!;
    }

    public static IReadOnlyDictionary<string, string> Checked(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 250 || key.Any(char.IsControl))
            {
                throw new InvalidOptionException("key", $"'{key}' is not a tag key; use 1 to 250 printable characters.");
            }

            if (value.Length > 5000)
            {
                throw new InvalidOptionException("value", $"the value of tag '{key}' has {value.Length:N0} characters; at most 5,000.");
            }
        }

        return tags;
    }
}
