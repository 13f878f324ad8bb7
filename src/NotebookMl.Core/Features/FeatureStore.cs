using System.Text;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Features.Historical;
using NotebookMl.Core.Features.Online;
using NotebookMl.Core.Options;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Features;

/// <summary>
/// The feature store of a workspace: definitions versioned in its registry, offline sources queried by
/// DuckDB, point-in-time correct historical retrieval, materialization into the online store (SQLite
/// by default, Redis when configured) and TTL-honouring online lookups.
/// </summary>
public sealed class FeatureStore : IDisposable
{
    private const string EntityKind = "entity";
    private const string ViewKind = "feature_view";
    private readonly FeatureRegistry _registry;
    private readonly Dictionary<string, DataFrame> _frames = new(StringComparer.Ordinal);

    // Online lookups resolve a view once, not per lookup; applying definitions empties it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FeatureViewInfo> _viewCache = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly DuckDbDatabase _duckDb = new();
    private readonly ViewRowsCache _viewRows = new();
    private readonly HistoricalJoin _historical;
    private readonly OnlineFeatures _online;

    private FeatureStore(WorkspaceDatabase database, IOnlineStore online, TimeProvider timeProvider)
    {
        _registry = new FeatureRegistry(database, timeProvider);
        Online = online;
        _timeProvider = timeProvider;
        _historical = new HistoricalJoin(_viewRows, timeProvider);
        _online = new OnlineFeatures(online, _registry, timeProvider);
    }

    /// <summary>The store's clock: what "now" means for materialization and online freshness.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The online store in use.</summary>
    public IOnlineStore Online { get; }

    /// <summary>The feature definitions' tables in the workspace store.</summary>
    public static StoreSchema DefinitionsSchema => FeatureRegistry.Schema;

    /// <summary>
    /// The feature store of <paramref name="workspace"/>; <paramref name="online"/> overrides the online
    /// store (default: <c>online_store</c> in <c>notebookml.yaml</c>, else embedded SQLite).
    /// </summary>
    public static FeatureStore Open(WorkspaceLocation workspace, IOnlineStore? online = null, TimeProvider? timeProvider = null)
    {
        var database = WorkspaceDatabase.Open(workspace);
        timeProvider ??= TimeProvider.System;
        return new FeatureStore(database, online ?? OnlineStores.Create(WorkspaceConfiguration.Read(workspace), database, timeProvider), timeProvider);
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

    /// <summary>Feature view <paramref name="name"/> with row count, event-time range and per-feature nulls, min, max, mean and histogram.</summary>
    public FeatureViewDescription Describe(string name)
    {
        var info = GetView(name);
        using var session = _duckDb.Session();
        return FeatureViewDescriber.Describe(session, info, ViewSql(info, session));
    }

    /// <summary>
    /// Joins <paramref name="features"/> to each entity row as of its time: the latest feature row of the
    /// same key with event time ≤ the entity row's <paramref name="timestampColumn"/> and within the view's
    /// TTL (the latest created time breaks ties); no such row gives nulls. Entity rows keep their order.
    /// Features are named <c>FEATURE</c>, or <c>VIEW__FEATURE</c> with <paramref name="fullNames"/>.
    /// </summary>
    public HistoricalFeatures GetHistoricalFeatures(DataFrame entities, IReadOnlyList<FeatureReference> features, string timestampColumn = "event_timestamp", bool fullNames = false, string? outputPath = null)
    {
        using var session = _duckDb.Session();
        return Historical(session, () => session.Register("entities", entities), entities, "the entity DataFrame", entities.Columns.Select(c => c.Name).ToArray(), features, timestampColumn, fullNames, outputPath, (int)entities.Rows.Count);
    }

    /// <summary>As the DataFrame overload, with entity rows read from a Parquet or CSV file.</summary>
    public HistoricalFeatures GetHistoricalFeatures(string entitiesPath, IReadOnlyList<FeatureReference> features, string timestampColumn = "event_timestamp", bool fullNames = false, string? outputPath = null)
    {
        using var session = _duckDb.Session();
        var relation = session.Relation(entitiesPath, null, _frames);
        var columns = session.Query($"SELECT * FROM {relation} LIMIT 0").Columns.Select(c => c.Name).ToArray();

        // A Parquet file's row count is in its footer: it sizes the columns the rows are streamed into.
        int? rowCount = relation.StartsWith("read_parquet(", StringComparison.Ordinal)
            ? (int)(long)session.Query($"SELECT count(*) AS n FROM {relation}").Columns[0][0]!
            : null;
        return Historical(session, () => relation, null, entitiesPath, columns, features, timestampColumn, fullNames, outputPath, rowCount);
    }

    private HistoricalFeatures Historical(
        DuckDbSession session, Func<string> relation, DataFrame? entityFrame, string entityName, IReadOnlyList<string> entityColumns, IReadOnlyList<FeatureReference> features, string timestampColumn, bool fullNames, string? outputPath, int? entityRowCount)
    {
        if (features.Count == 0)
        {
            throw new InvalidOptionException("features", "name at least one VIEW:FEATURE.");
        }

        if (!entityColumns.Contains(timestampColumn))
        {
            throw new InvalidOptionException("timestampColumn", $"column '{timestampColumn}' is missing from {entityName}; columns are: {string.Join(", ", entityColumns)}.");
        }

        var q = DuckDbSql.Quote;
        var views = features.GroupBy(f => f.View).Select((g, i) => (Info: GetView(g.Key), Features: g.Select(f => f.Feature).Distinct().ToArray(), Alias: $"v{i}")).ToArray();
        var names = new HashSet<string>(entityColumns, StringComparer.Ordinal);
        var columns = new List<(FeatureViewInfo Info, string Feature, string Name)>();
        foreach (var (info, wanted, _) in views)
        {
            foreach (var key in info.JoinKeys.Where(k => !entityColumns.Contains(k)))
            {
                throw new ArgumentException($"column '{key}' (a join key of feature view '{info.View.Name}') is missing from {entityName}; columns are: {string.Join(", ", entityColumns)}.");
            }

            foreach (var feature in wanted)
            {
                if (info.View.Features.All(f => f.Name != feature))
                {
                    throw new ArgumentException($"feature view '{info.View.Name}' has no feature '{feature}'; features: {string.Join(", ", info.View.Features.Select(f => f.Name))}.");
                }

                var name = fullNames ? $"{info.View.Name}__{feature}" : feature;
                columns.Add(names.Add(name) ? (info, feature, name) : throw new ArgumentException($"feature '{feature}' would be a second column named '{name}'; ask for full names (VIEW__FEATURE)."));
            }
        }

        var lineage = new FeatureLineage(views.ToDictionary(v => v.Info.View.Name, v => v.Info.Version),
            views.ToDictionary(v => v.Info.View.Name, v => (IReadOnlyList<string>)columns.Where(c => c.Info == v.Info).Select(c => c.Name).ToArray()));
        var plans = views.Select(v => new HistoricalView(
            v.Info.View.Name, v.Info.JoinKeys, v.Info.View.Ttl, ViewSql(v.Info, session), ViewSql(v.Info, session, latestCreatedOnly: false), SourceFile(v.Info),
            columns.Where(c => c.Info == v.Info).Select(c => (c.Feature, c.Name)).ToArray())).ToArray();
        var frame = _historical.Run(session, new HistoricalEntities(relation, entityFrame, entityRowCount), plans, timestampColumn, outputPath);
        return new HistoricalFeatures(frame, lineage, outputPath is null ? null : Path.GetFullPath(outputPath));
    }

    /// <summary>The file a view reads (whose rows may be kept between retrievals), or null for a DataFrame or Arrow source, which is a temporary table of its session.</summary>
    private static string? SourceFile(FeatureViewInfo info) =>
        info.View.Source.StartsWith("dataframe:", StringComparison.Ordinal) || Path.GetExtension(info.View.Source).ToLowerInvariant() is ".arrow" or ".feather" or ".ipc"
            ? null
            : Path.GetFullPath(info.View.Source, info.BaseDirectory ?? Environment.CurrentDirectory);

    /// <summary>
    /// Writes, for each key of each view (all when <paramref name="views"/> is empty), its latest row with
    /// event time in [<paramref name="start"/>, <paramref name="end"/>) to the online store (a newer stored row is kept).
    /// With <paramref name="asOf"/>, lookups judge the views' TTLs at that time instead of the clock's (replaying history).
    /// </summary>
    public IReadOnlyList<Materialization> Materialize(DateTime start, DateTime end, IReadOnlyList<string>? views = null, DateTime? asOf = null)
    {
        if (end <= start)
        {
            throw new ArgumentException($"materialize: END ({end:O}) must be after START ({start:O}).");
        }

        var infos = views is { Count: > 0 } ? views.Select(v => GetView(v)).ToArray() : ListViews().ToArray();
        var done = new List<Materialization>();
        foreach (var info in infos)
        {
            using var session = _duckDb.Session();
            done.Add(_online.Materialize(info, ViewSql(info, session), session, start, end, asOf));
        }

        return done;
    }

    /// <summary>Materializes each view from where its last materialization ended (or the beginning of time) up to <paramref name="end"/>.</summary>
    public IReadOnlyList<Materialization> MaterializeIncremental(DateTime end, IReadOnlyList<string>? views = null, DateTime? asOf = null)
    {
        var names = views is { Count: > 0 } ? views : ListViews().Select(v => v.View.Name).ToArray();
        return names.SelectMany(name => Materialize(_registry.MaterializedUntil(name) ?? DateTime.MinValue.AddYears(1900), end, [name], asOf)).ToArray();
    }

    /// <summary>
    /// The online values of <paramref name="features"/> for the entity identified by <paramref name="key"/>
    /// (join key name to value). A value older than its view's TTL (by the store's clock) is null, as is a key never materialized.
    /// </summary>
    public IReadOnlyDictionary<string, object?> GetOnlineFeatures(IReadOnlyList<FeatureReference> features, IReadOnlyDictionary<string, object?> key)
    {
        return _online.Lookup(features, key, view => _viewCache.GetOrAdd(view, v => GetView(v)));
    }

    /// <summary>As <see cref="GetOnlineFeatures"/>, without holding a thread while the online store answers.</summary>
    public Task<IReadOnlyDictionary<string, object?>> GetOnlineFeaturesAsync(IReadOnlyList<FeatureReference> features, IReadOnlyDictionary<string, object?> key) =>
        _online.LookupAsync(features, key, view => _viewCache.GetOrAdd(view, v => GetView(v)));

    /// <summary>As <see cref="GetOnlineFeaturesAsync"/>, with what the lookup found for each feature: a hit, a value past its TTL, or none materialized.</summary>
    public Task<IReadOnlyDictionary<string, Online.OnlineValue>> ExplainOnlineFeaturesAsync(IReadOnlyList<FeatureReference> features, IReadOnlyDictionary<string, object?> key) =>
        _online.ExplainAsync(features, key, view => _viewCache.GetOrAdd(view, v => GetView(v)));

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
