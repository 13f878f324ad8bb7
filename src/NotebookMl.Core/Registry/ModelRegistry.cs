using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Reference;
using NotebookMl.Core.Registry.Events;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Registry.Reference;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using static NotebookMl.Core.Registry.RegistryQueries;
using static NotebookMl.Core.Registry.RegistrySql;

namespace NotebookMl.Core.Registry;

/// <summary>
/// The workspace's model registry: registered models with numbered, immutable versions (the ONNX
/// artifact by content hash, its signature, the run's metrics, params and feature views, reference
/// statistics and a recorded prediction sample), aliases such as <c>champion</c> moved by gated
/// promotions, an append-only history of every alias change (who, when, why, which gates), and an event
/// log that subscribers in any process and webhooks receive. Several processes may register at once:
/// each registration takes the next number in one immediate transaction, so numbers are distinct and none is lost.
/// </summary>
public sealed partial class ModelRegistry
{
    private readonly WorkspaceDatabase _database;
    private readonly ContentStore _artifacts;
    private readonly TimeProvider _timeProvider;
    private readonly PromotionPolicies _policies;

    private ModelRegistry(WorkspaceLocation workspace, TimeProvider timeProvider, HttpClient? http)
    {
        Workspace = workspace;
        _database = WorkspaceDatabase.Open(workspace);
        _artifacts = ArtifactSettings.Open(workspace, "registry");
        _timeProvider = timeProvider;
        _database.Migrate(RegistrySchema.Schema);
        _policies = new PromotionPolicies(_database, workspace);
        Webhooks = new RegistryWebhooks(_database, timeProvider, http ?? SharedHttp.Value);
    }

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

    /// <summary>Opens the registry of <paramref name="workspace"/> (creating its tables).</summary>
    public static ModelRegistry Open(WorkspaceLocation workspace, TimeProvider? timeProvider = null, HttpClient? http = null) =>
        new(workspace, timeProvider ?? TimeProvider.System, http);

    /// <summary>Opens the registry of the current workspace (found from the working directory or <c>NOTEBOOKML_HOME</c>), which must exist.</summary>
    public static ModelRegistry OpenCurrent() => Open(WorkspaceLocation.CurrentExisting());

    /// <summary>The registry's clock.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The workspace the registry belongs to.</summary>
    public WorkspaceLocation Workspace { get; }

    /// <summary>The webhooks events are delivered to, and their delivery record.</summary>
    public RegistryWebhooks Webhooks { get; }

    /// <summary>Registers the next version of <paramref name="name"/> (created on first use) with what <paramref name="registration"/> records.</summary>
    public ModelVersion Register(string name, ModelRegistration registration)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Onnx is not { Length: > 0 } onnx)
        {
            throw new ArgumentException("onnx: the model is empty.", nameof(registration));
        }

        var (sha256, size) = _artifacts.Put(new MemoryStream(onnx, writable: false));
        var reference = registration.Reference is { } r ? PutJson(r) : null;
        var sample = registration.Sample is { } s ? PutJson(s) : null;
        var now = _timeProvider.GetUtcNow();
        var who = RegistryActor.Current();
        RegistryEvent created;
        int version;
        using (var connection = _database.Connect())
        using (var transaction = connection.BeginWrite())
        {
            Execute(connection, "INSERT INTO registered_models (name, description, created) VALUES (@n, @d, @t) ON CONFLICT(name) DO UPDATE SET description = COALESCE(excluded.description, registered_models.description)",
                ("@n", name), ("@d", registration.Description), ("@t", TimeText(now)));
            version = (int)(long)Scalar(connection, "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = @n", ("@n", name))!;
            Execute(connection, """
                INSERT INTO model_versions (name, version, run_id, onnx_sha256, onnx_size, metrics, params, feature_views, created, created_by, description, signature, reference_sha256, sample_sha256, dataset_digest, tags)
                VALUES (@n, @v, @r, @s, @z, @m, @p, @f, @t, @w, @d, @sig, @ref, @sample, @digest, @tags)
                """,
                ("@n", name), ("@v", version), ("@r", registration.RunId), ("@s", sha256), ("@z", size),
                ("@m", JsonSerializer.Serialize(registration.Metrics)), ("@p", JsonSerializer.Serialize(registration.Params)),
                ("@f", JsonSerializer.Serialize(registration.FeatureViews)), ("@t", TimeText(now)), ("@w", who), ("@d", registration.Description),
                ("@sig", JsonSerializer.Serialize(registration.Signature, JsonSerializerOptions.Web)), ("@ref", reference), ("@sample", sample),
                ("@digest", registration.DatasetDigest), ("@tags", JsonSerializer.Serialize(RegistryTags.Checked(registration.Tags))));
            created = RegistryEventLog.Append(connection, RegistryEventTypes.VersionCreated, name, version, null, null, now, who);
            transaction.Commit();
        }

        Webhooks.Deliver(created);
        return GetVersion(name, version);
    }

    /// <summary>Every registered model, by name.</summary>
    public IReadOnlyList<RegisteredModel> ListModels()
    {
        using var connection = _database.Connect();
        using var command = Command(connection, "SELECT m.name, m.description, m.created, COALESCE(MAX(v.version), 0), m.tags FROM registered_models m LEFT JOIN model_versions v ON v.name = m.name GROUP BY m.name ORDER BY m.name");
        var models = new List<RegisteredModel>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                models.Add(new RegisteredModel(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), ParseTime(reader.GetString(2)), reader.GetInt32(3), new Dictionary<string, int>())
                {
                    Tags = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!,
                });
            }
        }

        // Once the reader is done: a connection has one reader at a time on PostgreSQL.
        return models.Select(m => m with { Aliases = AliasesOfModel(connection, m.Name) }).ToArray();
    }

    /// <summary>Version <paramref name="version"/> of <paramref name="name"/>; an unknown one is a clear error.</summary>
    public ModelVersion GetVersion(string name, int version)
    {
        using var connection = _database.Connect();
        return ReadVersion(connection, name, version) ?? throw UnknownVersion(connection, name, version);
    }

    /// <summary>The newest version of <paramref name="name"/> (by its key: one row read, however many versions there are).</summary>
    public ModelVersion Latest(string name)
    {
        using var connection = _database.Connect();
        RequireModel(connection, name);
        var latest = Scalar(connection, "SELECT MAX(version) FROM model_versions WHERE name = @n", ("@n", name)) is long l ? (int)l : 0;
        return ReadVersion(connection, name, latest) ?? throw new ArgumentException($"model '{name}' has no versions yet.");
    }

    /// <summary>The versions of <paramref name="name"/>, newest first.</summary>
    public IReadOnlyList<ModelVersion> ListVersions(string name)
    {
        using var connection = _database.Connect();
        RequireModel(connection, name);
        using var command = Command(connection, "SELECT version FROM model_versions WHERE name = @n ORDER BY version DESC", ("@n", name));
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

        // One round trip when the alias is there; otherwise the lookups that say what exists.
        return ReadAliasVersion(connection, uri.Name, uri.Alias!) ?? ReadVersion(connection, uri.Name, AliasTarget(connection, uri.Name, uri.Alias!))!;
    }

    /// <summary>The version <paramref name="alias"/> of <paramref name="name"/> points at now, or null when the alias is not set.</summary>
    public ModelVersion? AliasVersion(string name, string alias)
    {
        using var connection = _database.Connect();
        RequireModel(connection, name);
        return AliasTargetOrNull(connection, name, alias) is { } version ? ReadVersion(connection, name, version) : null;
    }

    /// <summary>The ONNX bytes of <paramref name="version"/>, checked against its content hash.</summary>
    public byte[] ReadOnnx(ModelVersion version) => _artifacts.Read(version.OnnxSha256, $"{version.Uri} (model.onnx)");

    /// <summary>The reference statistics saved with <paramref name="version"/>, or null when none were.</summary>
    public ReferenceStatistics? ReadReference(ModelVersion version) => ReadJson<ReferenceStatistics>(version.ReferenceSha256, $"{version.Uri} (reference statistics)");

    /// <summary>The prediction sample recorded with <paramref name="version"/>, or null when none was.</summary>
    public PredictionSample? ReadSample(ModelVersion version) => ReadJson<PredictionSample>(version.SampleSha256, $"{version.Uri} (prediction sample)");

    /// <summary>
    /// Points <paramref name="alias"/> of <paramref name="name"/> at <paramref name="version"/> without gates, recording the change.
    /// An alias with a promotion policy refuses this: use <see cref="Promote"/>.
    /// </summary>
    public AliasChange SetAlias(string name, string alias, int version, string? reason = null)
    {
        CheckAlias(alias);
        if (!Policy(name, alias).IsEmpty)
        {
            throw new InvalidOperationException($"@{alias} of '{name}' has promotion gates (notebookml.yaml or the registry's policy); promote the version instead of setting the alias.");
        }

        return Move(name, alias, version, reason, [], expectedFrom: null, checkExpected: false);
    }

    private AliasChange Move(string name, string alias, int version, string? reason, IReadOnlyList<GateResult> gates, int? expectedFrom, bool checkExpected)
    {
        var (change, moved) = RegistryAliases.Move(_database, name, alias, version, reason, gates, expectedFrom, checkExpected, _timeProvider.GetUtcNow());
        Webhooks.Deliver(moved);
        return change;
    }

    /// <summary>
    /// Moves <paramref name="alias"/> to <paramref name="version"/> only if every gate passes: the metric gates and drift limit of
    /// <paramref name="gates"/> and of the alias's policy, and each of <paramref name="extraGates"/> (Training's <c>Promote</c>
    /// adds the ONNX gate). When a gate fails the alias stays where it was and the result says why.
    /// </summary>
    public PromotionResult Promote(string name, int version, string alias, PromotionPolicy? gates, string? reason, IEnumerable<IPromotionGate> extraGates)
    {
        CheckAlias(alias);
        var candidate = GetVersion(name, version);
        var policy = Policy(name, alias).And(gates ?? PromotionPolicy.None);
        var current = AliasVersion(name, alias)?.Version;
        var checks = new List<IPromotionGate> { new MetricGates(policy.Require) };
        checks.AddRange(extraGates);
        if (policy.MaxDrift is { } drift)
        {
            checks.Add(new DriftGate(drift, policy.DriftWindow, policy.DriftMinRows));
        }

        var context = new PromotionCandidate(candidate, alias, this);
        var results = checks.SelectMany(g => g.Check(context)).ToArray();
        if (results.Any(r => !r.Passed))
        {
            return new PromotionResult(candidate, alias, results, null);
        }

        return new PromotionResult(candidate, alias, results, Move(name, alias, version, reason, results, current, checkExpected: true));
    }

    /// <summary>The gates a promotion of <paramref name="name"/> to <paramref name="alias"/> must always pass (notebookml.yaml and <see cref="SetPolicy"/>).</summary>
    public PromotionPolicy Policy(string name, string alias) => _policies.For(name, alias);

    /// <summary>Writes the gates every promotion of <paramref name="name"/> to <paramref name="alias"/> must pass; <see cref="PromotionPolicy.None"/> removes them.</summary>
    public void SetPolicy(string name, string alias, PromotionPolicy policy)
    {
        CheckAlias(alias);
        using (var connection = _database.Connect())
        {
            RequireModel(connection, name);
        }

        _policies.Set(name, alias, policy);
    }

    /// <summary>Removes <paramref name="alias"/> of <paramref name="name"/>, recording it in the history.</summary>
    public AliasChange DeleteAlias(string name, string alias, string? reason = null)
    {
        var (change, deleted) = RegistryAliases.Delete(_database, name, alias, reason, _timeProvider.GetUtcNow());
        Webhooks.Deliver(deleted);
        return change;
    }

    /// <summary>Every alias change of <paramref name="name"/>, oldest first.</summary>
    public IReadOnlyList<AliasChange> History(string name)
    {
        using var connection = _database.Connect();
        RequireModel(connection, name);
        using var command = Command(connection, "SELECT alias, from_version, to_version, time, who, reason, gates FROM alias_history WHERE name = @n ORDER BY id", ("@n", name));
        using var reader = command.ExecuteReader();
        var changes = new List<AliasChange>();
        while (reader.Read())
        {
            changes.Add(new AliasChange(name, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                ParseTime(reader.GetString(3)), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                JsonSerializer.Deserialize<GateResult[]>(reader.GetString(6)) ?? []));
        }

        return changes;
    }

    /// <summary>Archives a version: it stays, with its number, but no alias may point at it (one that does is an error).</summary>
    public ModelVersion Archive(string name, int version)
    {
        var now = _timeProvider.GetUtcNow();
        RegistryEvent archived;
        using (var connection = _database.Connect())
        using (var transaction = connection.BeginWrite())
        {
            var target = ReadVersion(connection, name, version) ?? throw UnknownVersion(connection, name, version);
            if (target.Aliases.Count > 0)
            {
                throw new ArgumentException($"{target.Uri} is {string.Join(", ", target.Aliases.Select(a => "@" + a))}; move or delete the alias before archiving it.", nameof(version));
            }

            Execute(connection, "UPDATE model_versions SET status = 'ARCHIVED' WHERE name = @n AND version = @v", ("@n", name), ("@v", version));
            archived = RegistryEventLog.Append(connection, RegistryEventTypes.VersionArchived, name, version, null, null, now, RegistryActor.Current());
            transaction.Commit();
        }

        Webhooks.Deliver(archived);
        return GetVersion(name, version);
    }

    /// <summary>
    /// Sets tag <paramref name="key"/> of model <paramref name="name"/>, or of its version <paramref name="version"/> when given,
    /// to <paramref name="value"/>; a null value removes the tag. Tags are the only thing about a version that may change.
    /// </summary>
    public void SetTag(string name, int? version, string key, string? value) => RegistryTags.Set(_database, name, version, key, value);

    /// <summary>The tags of model <paramref name="name"/> (not of a version).</summary>
    public IReadOnlyDictionary<string, string> ModelTags(string name) => RegistryTags.OfModel(_database, name);

    /// <summary>The events logged after event <paramref name="afterId"/> (0 for all), oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<RegistryEvent> EventsAfter(long afterId, int limit = 1000) => RegistryEventLog.After(_database, afterId, limit);

    /// <summary>
    /// Calls <paramref name="handler"/> for every event logged from now on (by any process), checking every
    /// <paramref name="interval"/> (null: only when the subscription is polled). Dispose the subscription to stop.
    /// </summary>
    public RegistrySubscription Subscribe(Action<RegistryEvent> handler, TimeSpan? interval = null, Action<RegistryEvent, Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        // A process that follows the registry lives long: it also delivers the webhooks other processes queued.
        Webhooks.Follow();
        return new RegistrySubscription(this, RegistryEventLog.Last(_database), handler, interval ?? TimeSpan.FromMilliseconds(250), _timeProvider, onError,
            changed => _database.Listen(RegistryEventLog.Channel, changed));
    }

    private string PutJson<T>(T value) => _artifacts.Put(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value, RegistryJson.Options))).Sha256;

    private T? ReadJson<T>(string? sha256, string what) where T : class =>
        sha256 is null ? null : JsonSerializer.Deserialize<T>(_artifacts.Read(sha256, what), RegistryJson.Options);

    private static void CheckName(string name)
    {
        if (!ValidName().IsMatch(name ?? ""))
        {
            throw new Options.InvalidOptionException(nameof(name), $"'{name}' is not a model name; use letters, digits, '_', '-' and '.', starting with a letter or digit.");
        }
    }

    /// <summary>Checks that <paramref name="alias"/> is an alias name (<c>[a-z][a-z0-9_-]*</c>); otherwise an <see cref="ArgumentException"/> naming it.</summary>
    public static void CheckAlias(string alias, string parameter = "alias")
    {
        if (!ValidAlias().IsMatch(alias ?? ""))
        {
            throw new Options.InvalidOptionException(parameter, $"'{alias}' is not an alias; use [a-z][a-z0-9_-]* (e.g. champion).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex ValidAlias();
}
