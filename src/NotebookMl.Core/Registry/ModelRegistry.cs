using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Registry;

/// <summary>
/// The workspace's model registry: registered models with numbered, immutable versions (the ONNX
/// artifact by content hash, the run's metrics, params and feature views), aliases such as
/// <c>champion</c>, and an append-only history of every alias change (who, when, why, which gates).
/// Several processes may register at once: each registration takes the next number in one
/// immediate transaction, so numbers are distinct and none is lost.
/// </summary>
public sealed partial class ModelRegistry
{
    private readonly WorkspaceDatabase _database;
    private readonly ArtifactStore _artifacts;
    private readonly TimeProvider _timeProvider;

    private ModelRegistry(WorkspaceDatabase database, string artifactFolder, TimeProvider timeProvider)
    {
        _database = database;
        _artifacts = new ArtifactStore(artifactFolder);
        _timeProvider = timeProvider;
        database.Migrate("registry", RegistrySchema.Steps);
    }

    /// <summary>Opens the registry of <paramref name="workspace"/> (creating its tables).</summary>
    public static ModelRegistry Open(WorkspaceLocation workspace, TimeProvider? timeProvider = null) =>
        new(WorkspaceDatabase.Open(workspace), Path.Combine(workspace.StateFolder, "registry"), timeProvider ?? TimeProvider.System);

    /// <summary>
    /// Registers <paramref name="onnx"/> as the next version of <paramref name="name"/> (created on first use),
    /// with what the run recorded.
    /// </summary>
    public ModelVersion Register(string name, byte[] onnx, string? runId = null, IReadOnlyDictionary<string, double>? metrics = null,
        IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, int>? featureViews = null, string? description = null)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(onnx);
        if (onnx.Length == 0)
        {
            throw new ArgumentException("onnx: the model is empty.", nameof(onnx));
        }

        var (sha256, size) = _artifacts.Put(new MemoryStream(onnx, writable: false));
        var now = Time(_timeProvider.GetUtcNow());
        using var connection = _database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, "INSERT INTO registered_models (name, description, created) VALUES ($n, $d, $t) ON CONFLICT(name) DO UPDATE SET description = COALESCE($d, description)",
            ("$n", name), ("$d", description), ("$t", now));
        var version = (int)(long)Scalar(connection, "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = $n", ("$n", name))!;
        Execute(connection, """
            INSERT INTO model_versions (name, version, run_id, onnx_sha256, onnx_size, metrics, params, feature_views, created, created_by)
            VALUES ($n, $v, $r, $s, $z, $m, $p, $f, $t, $w)
            """,
            ("$n", name), ("$v", version), ("$r", runId), ("$s", sha256), ("$z", size),
            ("$m", JsonSerializer.Serialize(metrics ?? new Dictionary<string, double>())),
            ("$p", JsonSerializer.Serialize(parameters ?? new Dictionary<string, string>())),
            ("$f", JsonSerializer.Serialize(featureViews ?? new Dictionary<string, int>())),
            ("$t", now), ("$w", RegistryActor.Current()));
        transaction.Commit();
        return GetVersion(name, version);
    }

    /// <summary>Every registered model, by name.</summary>
    public IReadOnlyList<RegisteredModel> ListModels()
    {
        using var connection = _database.Connect();
        var aliases = AliasesByModel(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT m.name, m.description, m.created, COALESCE(MAX(v.version), 0) FROM registered_models m LEFT JOIN model_versions v ON v.name = m.name GROUP BY m.name ORDER BY m.name";
        using var reader = command.ExecuteReader();
        var models = new List<RegisteredModel>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            models.Add(new RegisteredModel(name, reader.IsDBNull(1) ? null : reader.GetString(1), Parse(reader.GetString(2)), reader.GetInt32(3),
                aliases.TryGetValue(name, out var a) ? a : new Dictionary<string, int>()));
        }

        return models;
    }

    /// <summary>Version <paramref name="version"/> of <paramref name="name"/>; an unknown one is a clear error.</summary>
    public ModelVersion GetVersion(string name, int version)
    {
        using var connection = _database.Connect();
        return ReadVersion(connection, name, version) ?? throw UnknownVersion(connection, name, version);
    }

    /// <summary>The versions of <paramref name="name"/>, newest first.</summary>
    public IReadOnlyList<ModelVersion> ListVersions(string name)
    {
        using var connection = _database.Connect();
        RequireModel(connection, name);
        using var command = Command(connection, "SELECT version FROM model_versions WHERE name = $n ORDER BY version DESC", ("$n", name));
        var numbers = new List<int>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                numbers.Add(reader.GetInt32(0));
            }
        }

        return numbers.Select(n => ReadVersion(connection, name, n)!).ToArray();
    }

    /// <summary>The version a <c>models:/</c> URI names: a number, or what an alias points at now.</summary>
    public ModelVersion Resolve(ModelUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Name is null)
        {
            throw new ArgumentException($"{uri} names a run's model, not a registered one; register it first (models register --run).", nameof(uri));
        }

        using var connection = _database.Connect();
        if (uri.Version is { } number)
        {
            return ReadVersion(connection, uri.Name, number) ?? throw UnknownVersion(connection, uri.Name, number);
        }

        var target = AliasTarget(connection, uri.Name, uri.Alias!);
        return ReadVersion(connection, uri.Name, target)!;
    }

    /// <summary>The ONNX bytes of <paramref name="version"/>, checked against its content hash.</summary>
    public byte[] ReadOnnx(ModelVersion version) => _artifacts.Read(version.OnnxSha256, $"{version.Uri} (model.onnx)");

    /// <summary>
    /// Points <paramref name="alias"/> of <paramref name="name"/> at <paramref name="version"/> and records the change
    /// (with <paramref name="reason"/> and the <paramref name="gates"/> that passed) in the history.
    /// </summary>
    public AliasChange SetAlias(string name, string alias, int version, string? reason = null, IReadOnlyList<GateResult>? gates = null)
    {
        CheckAlias(alias);
        using var connection = _database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var target = ReadVersion(connection, name, version) ?? throw UnknownVersion(connection, name, version);
        if (target.Status == ModelVersionStatus.Archived)
        {
            throw new ArgumentException($"{target.Uri} is archived; an alias cannot point at it.", nameof(version));
        }

        var previous = Scalar(connection, "SELECT version FROM model_aliases WHERE name = $n AND alias = $a", ("$n", name), ("$a", alias)) is long p ? (int)p : (int?)null;
        Execute(connection, "INSERT INTO model_aliases (name, alias, version) VALUES ($n, $a, $v) ON CONFLICT(name, alias) DO UPDATE SET version = $v",
            ("$n", name), ("$a", alias), ("$v", version));
        var change = Record(connection, name, alias, previous, version, reason, gates ?? []);
        transaction.Commit();
        return change;
    }

    /// <summary>Removes <paramref name="alias"/> of <paramref name="name"/>, recording it in the history.</summary>
    public AliasChange DeleteAlias(string name, string alias, string? reason = null)
    {
        using var connection = _database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var previous = AliasTarget(connection, name, alias);
        Execute(connection, "DELETE FROM model_aliases WHERE name = $n AND alias = $a", ("$n", name), ("$a", alias));
        var change = Record(connection, name, alias, previous, null, reason, []);
        transaction.Commit();
        return change;
    }

    /// <summary>Every alias change of <paramref name="name"/>, oldest first.</summary>
    public IReadOnlyList<AliasChange> History(string name)
    {
        using var connection = _database.Connect();
        RequireModel(connection, name);
        using var command = Command(connection, "SELECT alias, from_version, to_version, time, who, reason, gates FROM alias_history WHERE name = $n ORDER BY id", ("$n", name));
        using var reader = command.ExecuteReader();
        var changes = new List<AliasChange>();
        while (reader.Read())
        {
            changes.Add(new AliasChange(name, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                Parse(reader.GetString(3)), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                JsonSerializer.Deserialize<GateResult[]>(reader.GetString(6)) ?? []));
        }

        return changes;
    }

    /// <summary>Archives a version: it stays, with its number, but no alias may point at it (one that does is an error).</summary>
    public ModelVersion Archive(string name, int version)
    {
        using var connection = _database.Connect();
        using var transaction = connection.BeginTransaction(deferred: false);
        var target = ReadVersion(connection, name, version) ?? throw UnknownVersion(connection, name, version);
        if (target.Aliases.Count > 0)
        {
            throw new ArgumentException($"{target.Uri} is {string.Join(", ", target.Aliases.Select(a => "@" + a))}; move or delete the alias before archiving it.", nameof(version));
        }

        Execute(connection, "UPDATE model_versions SET status = 'ARCHIVED' WHERE name = $n AND version = $v", ("$n", name), ("$v", version));
        transaction.Commit();
        return ReadVersion(connection, name, version)!;
    }

    private AliasChange Record(SqliteConnection connection, string name, string alias, int? from, int? to, string? reason, IReadOnlyList<GateResult> gates)
    {
        var change = new AliasChange(name, alias, from, to, _timeProvider.GetUtcNow(), RegistryActor.Current(), reason, gates);
        Execute(connection, "INSERT INTO alias_history (name, alias, from_version, to_version, time, who, reason, gates) VALUES ($n, $a, $f, $t, $time, $w, $r, $g)",
            ("$n", name), ("$a", alias), ("$f", from), ("$t", to), ("$time", Time(change.Time)), ("$w", change.Who), ("$r", reason), ("$g", JsonSerializer.Serialize(gates)));
        return change;
    }

    private static ModelVersion? ReadVersion(SqliteConnection connection, string name, int version)
    {
        using var command = Command(connection,
            "SELECT run_id, onnx_sha256, onnx_size, metrics, params, feature_views, status, created, created_by FROM model_versions WHERE name = $n AND version = $v",
            ("$n", name), ("$v", version));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new ModelVersion(name, version, reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
            JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(3))!,
            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!,
            JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(5))!,
            reader.GetString(6) == "ARCHIVED" ? ModelVersionStatus.Archived : ModelVersionStatus.Ready,
            Parse(reader.GetString(7)), reader.GetString(8), AliasesOf(connection, name, version));
    }

    // By the alias table's key: one model's aliases, not every model's.
    private static string[] AliasesOf(SqliteConnection connection, string name, int version)
    {
        using var command = Command(connection, "SELECT alias FROM model_aliases WHERE name = $n AND version = $v ORDER BY alias", ("$n", name), ("$v", version));
        using var reader = command.ExecuteReader();
        var aliases = new List<string>();
        while (reader.Read())
        {
            aliases.Add(reader.GetString(0));
        }

        return [.. aliases];
    }

    private static Dictionary<string, Dictionary<string, int>> AliasesByModel(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, alias, version FROM model_aliases";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            (result.TryGetValue(reader.GetString(0), out var aliases) ? aliases : result[reader.GetString(0)] = new(StringComparer.Ordinal))[reader.GetString(1)] = reader.GetInt32(2);
        }

        return result;
    }

    private static int AliasTarget(SqliteConnection connection, string name, string alias)
    {
        RequireModel(connection, name);
        if (Scalar(connection, "SELECT version FROM model_aliases WHERE name = $n AND alias = $a", ("$n", name), ("$a", alias)) is long version)
        {
            return (int)version;
        }

        var known = AliasesByModel(connection).TryGetValue(name, out var aliases) ? string.Join(", ", aliases.Keys.Order(StringComparer.Ordinal).Select(a => "@" + a)) : "";
        throw new ArgumentException($"model '{name}' has no alias '{alias}'; its aliases: {(known.Length > 0 ? known : "none")}.");
    }

    private static void RequireModel(SqliteConnection connection, string name)
    {
        if (Scalar(connection, "SELECT 1 FROM registered_models WHERE name = $n", ("$n", name)) is null)
        {
            var names = new List<string>();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM registered_models ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            throw new ArgumentException($"no registered model '{name}'; models: {(names.Count > 0 ? string.Join(", ", names) : "none")}.");
        }
    }

    private static ArgumentException UnknownVersion(SqliteConnection connection, string name, int version)
    {
        RequireModel(connection, name);
        var latest = Scalar(connection, "SELECT MAX(version) FROM model_versions WHERE name = $n", ("$n", name)) is long l ? (int)l : 0;
        return new ArgumentException($"model '{name}' has no version {version}; its versions: 1..{latest}.");
    }

    private static void CheckName(string name)
    {
        if (!ValidName().IsMatch(name ?? ""))
        {
            throw new ArgumentException($"name: '{name}' is not a model name; use letters, digits, '_', '-' and '.', starting with a letter or digit.", nameof(name));
        }
    }

    private static void CheckAlias(string alias)
    {
        if (!ValidAlias().IsMatch(alias ?? ""))
        {
            throw new ArgumentException($"alias: '{alias}' is not an alias; use [a-z][a-z0-9_-]* (e.g. champion).", nameof(alias));
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value ?? DBNull.Value);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteScalar();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex ValidAlias();
}
