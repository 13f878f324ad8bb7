using System.Data.Common;
using System.Text.Json;
using NotebookMl.Core.Storage;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry;

/// <summary>The registry's reads, each by primary key: a version, its aliases, an alias's target; and the errors that name what exists.</summary>
internal static class RegistryQueries
{
    // A version's columns, in the order FromRow reads them.
    private static readonly string[] s_columns =
        ["run_id", "onnx_sha256", "onnx_size", "metrics", "params", "feature_views", "status", "created", "created_by", "description", "signature", "reference_sha256", "sample_sha256", "dataset_digest", "tags"];

    public static ModelVersion? ReadVersion(DbConnection connection, string name, int version)
    {
        // Read before the version's reader opens: a connection has one reader at a time on PostgreSQL.
        var aliases = AliasesOf(connection, name, version);
        using var command = Command(connection, $"SELECT {string.Join(", ", s_columns)} FROM model_versions WHERE name = @n AND version = @v", ("@n", name), ("@v", version));
        using var reader = command.ExecuteReader();
        return reader.Read() ? FromRow(reader, 0, name, version, aliases) : null;
    }

    /// <summary>
    /// The version <paramref name="alias"/> of <paramref name="name"/> points at, with that version's aliases, in one round
    /// trip (loading a model by its alias is on the path of every start); null when there is no such alias.
    /// </summary>
    public static ModelVersion? ReadAliasVersion(DbConnection connection, string name, string alias)
    {
        using var command = Command(connection, $"""
            SELECT v.version, (SELECT {StoreDialect.Of(connection).Concat("o.alias")} FROM model_aliases o WHERE o.name = v.name AND o.version = v.version),
                   {string.Join(", ", s_columns.Select(c => "v." + c))}
            FROM model_aliases a JOIN model_versions v ON v.name = a.name AND v.version = a.version
            WHERE a.name = @n AND a.alias = @a
            """,
            ("@n", name), ("@a", alias));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var aliases = reader.GetString(1).Split(',').Order(StringComparer.Ordinal).ToArray();
        return FromRow(reader, 2, name, reader.GetInt32(0), aliases);
    }

    private static ModelVersion FromRow(DbDataReader reader, int first, string name, int version, string[] aliases)
    {
        string? Text(int i) => reader.IsDBNull(first + i) ? null : reader.GetString(first + i);
        return new ModelVersion(name, version, Text(0), reader.GetString(first + 1), reader.GetInt64(first + 2),
            JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(first + 3))!,
            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(first + 4))!,
            JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(first + 5))!,
            reader.GetString(first + 6) == "ARCHIVED" ? ModelVersionStatus.Archived : ModelVersionStatus.Ready,
            ParseTime(reader.GetString(first + 7)), reader.GetString(first + 8), aliases)
        {
            Description = Text(9),
            Signature = JsonSerializer.Deserialize<ModelSignature>(reader.GetString(first + 10), JsonSerializerOptions.Web) ?? ModelSignature.Empty,
            ReferenceSha256 = Text(11),
            SampleSha256 = Text(12),
            DatasetDigest = Text(13),
            Tags = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(first + 14))!,
        };
    }

    public static int? AliasTargetOrNull(DbConnection connection, string name, string alias) =>
        Scalar(connection, "SELECT version FROM model_aliases WHERE name = @n AND alias = @a", ("@n", name), ("@a", alias)) is long version ? (int)version : null;

    public static int AliasTarget(DbConnection connection, string name, string alias)
    {
        RequireModel(connection, name);
        if (AliasTargetOrNull(connection, name, alias) is { } version)
        {
            return version;
        }

        var known = AliasesOfModel(connection, name).Keys.Order(StringComparer.Ordinal).Select(a => "@" + a).ToArray();
        throw new ArgumentException($"model '{name}' has no alias '{alias}'; its aliases: {(known.Length > 0 ? string.Join(", ", known) : "none")}.");
    }

    public static Dictionary<string, int> AliasesOfModel(DbConnection connection, string name)
    {
        using var command = Command(connection, "SELECT alias, version FROM model_aliases WHERE name = @n", ("@n", name));
        using var reader = command.ExecuteReader();
        var aliases = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            aliases[reader.GetString(0)] = reader.GetInt32(1);
        }

        return aliases;
    }

    public static void RequireModel(DbConnection connection, string name)
    {
        if (Scalar(connection, "SELECT 1 FROM registered_models WHERE name = @n", ("@n", name)) is null)
        {
            var names = new List<string>();
            using var command = Command(connection, "SELECT name FROM registered_models ORDER BY name");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            throw new ArgumentException($"no registered model '{name}'; models: {(names.Count > 0 ? string.Join(", ", names) : "none")}.");
        }
    }

    public static ArgumentException UnknownVersion(DbConnection connection, string name, int version)
    {
        RequireModel(connection, name);
        var latest = Scalar(connection, "SELECT MAX(version) FROM model_versions WHERE name = @n", ("@n", name)) is long l ? (int)l : 0;
        return new ArgumentException($"model '{name}' has no version {version}; its versions: 1..{latest}.");
    }

    // By the alias table's key: one version's aliases, not every model's.
    private static string[] AliasesOf(DbConnection connection, string name, int version)
    {
        using var command = Command(connection, "SELECT alias FROM model_aliases WHERE name = @n AND version = @v ORDER BY alias", ("@n", name), ("@v", version));
        using var reader = command.ExecuteReader();
        var aliases = new List<string>();
        while (reader.Read())
        {
            aliases.Add(reader.GetString(0));
        }

        return [.. aliases];
    }
}
