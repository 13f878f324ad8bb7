using Microsoft.Data.Analysis;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Features;

/// <summary>
/// The feature store of a workspace: definitions versioned in its registry, offline sources queried by
/// DuckDB, point-in-time correct historical retrieval, materialization into the online store (SQLite
/// by default, Redis when configured) and TTL-honouring online lookups.
/// </summary>
public sealed partial class FeatureStore : IDisposable
{
    private const string EntityKind = "entity";
    private const string ViewKind = "feature_view";
    private readonly FeatureRegistry _registry;
    private readonly Dictionary<string, DataFrame> _frames = new(StringComparer.Ordinal);

    // Online lookups resolve a view once, not per lookup; applying definitions empties it.
    private readonly Dictionary<string, FeatureViewInfo> _viewCache = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly DuckDbDatabase _duckDb = new();
    private readonly ViewRowsCache _viewRows = new();

    private FeatureStore(WorkspaceDatabase database, IOnlineStore online, TimeProvider timeProvider)
    {
        _registry = new FeatureRegistry(database, timeProvider);
        Online = online;
        _timeProvider = timeProvider;
    }

    /// <summary>The store's clock: what "now" means for materialization and online freshness.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The online store in use.</summary>
    public IOnlineStore Online { get; }

    /// <summary>
    /// The feature store of <paramref name="workspace"/>; <paramref name="online"/> overrides the online
    /// store (default: <c>online_store</c> in <c>notebookml.yaml</c>, else embedded SQLite).
    /// </summary>
    public static FeatureStore Open(WorkspaceLocation workspace, IOnlineStore? online = null, TimeProvider? timeProvider = null)
    {
        var database = WorkspaceDatabase.Open(workspace);
        timeProvider ??= TimeProvider.System;
        return new FeatureStore(database, online ?? WorkspaceConfiguration.Read(workspace).CreateOnlineStore(database, timeProvider), timeProvider);
    }

    /// <summary>The feature store of the current workspace, created in the working directory where there is none.</summary>
    public static FeatureStore ForCurrentWorkspace() => Open(WorkspaceLocation.Current());

    /// <summary>The feature store of the current workspace, which must exist: for reading, so that it creates nothing.</summary>
    public static FeatureStore ForExistingWorkspace() => Open(WorkspaceLocation.CurrentExisting());

    /// <summary>Makes <paramref name="frame"/> available to views whose source is <c>dataframe:NAME</c> (in this process).</summary>
    public void RegisterDataFrame(string name, DataFrame frame) => _frames[name] = frame;

    /// <summary>
    /// Checks and stores <paramref name="definitions"/>: entities first, then views, each a new version
    /// when it changed. A view's query is run without data first, so a missing column is reported now.
    /// </summary>
    public IReadOnlyList<AppliedDefinition> Apply(FeatureDefinitions definitions)
    {
        var entities = definitions.Entities.ToDictionary(e => e.Name);
        foreach (var (known, _) in _registry.Latest<Entity>(EntityKind))
        {
            entities.TryAdd(known.Name, known);
        }

        _viewCache.Clear();
        var applied = new List<AppliedDefinition>();
        foreach (var entity in definitions.Entities)
        {
            FeatureDefinitionRules.Check(entity);
            var (version, changed) = _registry.Apply(EntityKind, entity.Name, entity);
            applied.Add(new AppliedDefinition(EntityKind, entity.Name, version, changed));
        }

        foreach (var view in definitions.Views)
        {
            var complete = FeatureDefinitionRules.Check(view, entities);
            var stored = new StoredView(complete, definitions.BaseDirectory);
            CheckRuns(ToInfo(stored, 0, entities));
            var (version, changed) = _registry.Apply(ViewKind, view.Name, stored);
            applied.Add(new AppliedDefinition(ViewKind, view.Name, version, changed));
        }

        return applied;
    }

    /// <summary>The latest version of every feature view.</summary>
    public IReadOnlyList<FeatureViewInfo> ListViews()
    {
        var entities = Entities();
        return _registry.Latest<StoredView>(ViewKind).Select(v => ToInfo(v.Definition, v.Version, entities)).ToArray();
    }

    /// <summary>The latest entities.</summary>
    public IReadOnlyList<Entity> ListEntities() => _registry.Latest<Entity>(EntityKind).Select(e => e.Definition).ToArray();

    /// <summary>Feature view <paramref name="name"/> (its latest version, or <paramref name="version"/>).</summary>
    public FeatureViewInfo GetView(string name, int? version = null)
    {
        var stored = _registry.Get<StoredView>(ViewKind, name, version)
            ?? throw new ArgumentException(version is null
                ? $"no feature view named '{name}'; views: {string.Join(", ", ListViews().Select(v => v.View.Name).DefaultIfEmpty("none (apply definitions first)"))}."
                : $"feature view '{name}' has no version {version}.");
        return ToInfo(stored.Definition, stored.Version, Entities());
    }

    /// <summary>
    /// Forgets the rows of views over files that historical retrieval keeps in memory between calls (they
    /// are read again when a file or a definition changes; this frees the memory now).
    /// </summary>
    public void ClearViewRowsCache() => _viewRows.Clear();

    /// <summary>The rows of view <paramref name="name"/> (at most <paramref name="limit"/>, newest first), as DuckDB computes them.</summary>
    public DataFrame ReadView(string name, int? limit = null)
    {
        var info = GetView(name);
        using var session = _duckDb.Session();
        var sql = ViewSql(info, session);
        return session.Query($"SELECT * FROM ({sql}) ORDER BY event_timestamp DESC{(limit is { } n ? $" LIMIT {n}" : "")}");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Online.Dispose();
        _duckDb.Dispose();
    }

    private Dictionary<string, Entity> Entities() => _registry.Latest<Entity>(EntityKind).ToDictionary(e => e.Definition.Name, e => e.Definition);

    private static FeatureViewInfo ToInfo(StoredView stored, int version, IReadOnlyDictionary<string, Entity> entities) =>
        new(stored.View, version, stored.View.Entities.SelectMany(e => entities[e].JoinKeys).ToArray(), stored.BaseDirectory);

    private string ViewSql(FeatureViewInfo info, DuckDbSession session, bool latestCreatedOnly = true) =>
        FeatureViewSql.Rows(info.View, info.JoinKeys, session.Relation(info.View.Source, info.BaseDirectory, _frames), latestCreatedOnly);

    private void CheckRuns(FeatureViewInfo info)
    {
        using var session = _duckDb.Session();
        try
        {
            session.Query($"SELECT * FROM ({ViewSql(info, session)}) LIMIT 0");
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new ArgumentException($"feature view '{info.View.Name}': DuckDB cannot compute its rows: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>A view as stored: the definition and where its relative source path starts.</summary>
    internal sealed record StoredView(FeatureView View, string? BaseDirectory);
}
