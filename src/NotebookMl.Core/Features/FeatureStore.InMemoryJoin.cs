using System.Runtime.ExceptionServices;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Features;

/// <summary>Historical retrieval into memory with <see cref="PointInTimeJoin"/>.</summary>
public sealed partial class FeatureStore
{
    /// <summary>
    /// Reads the entity rows (a file, streamed in its order, text as read-only UTF-8 columns; a DataFrame,
    /// copied) and, at the same time on a second connection, each view's rows sorted by key and time (or
    /// takes them from <see cref="ViewRowsCache"/>); then joins them in memory. The frame is null when the
    /// entity columns are of types the in-memory join does not take: the caller joins in DuckDB, with the
    /// entity rows already read.
    /// </summary>
    private (DataFrame? Frame, DataFrame EntityRows) JoinInMemory(
        DuckDbSession session, Func<string> relation, int? entityRowCount, DataFrame? entityFrame, IReadOnlyList<(FeatureViewInfo Info, string Feature, string Name)> columns, string timestampColumn)
    {
        var views = columns.GroupBy(c => c.Info).Select(g =>
        {
            var keys = string.Join(", ", g.Key.JoinKeys.Select(FeatureViewSql.Quote));
            var wanted = string.Join(", ", g.Select(c => FeatureViewSql.Quote(c.Feature)).Distinct());

            // All rows of a key and event time, the latest created last: the join takes the last of them.
            var sql = $"SELECT {keys}, event_timestamp, {wanted} FROM ({ViewSql(g.Key, session, latestCreatedOnly: false)}) ORDER BY {keys}, event_timestamp, created_timestamp NULLS FIRST";
            return (Info: g.Key, Columns: g.ToArray(), Sql: sql, CacheKey: SourceFile(g.Key) is { } file ? ViewRowsCache.Key(sql, file, _timeProvider.GetUtcNow()) : null);
        }).ToArray();

        var rows = new Dictionary<FeatureViewInfo, DataFrame>();
        foreach (var view in views)
        {
            if (view.CacheKey is { } key && _viewRows.TryGet(key, out var cached))
            {
                rows[view.Info] = cached;
            }
        }

        // DataFrame and Arrow sources are temporary tables of this connection, which another cannot see.
        var side = views.Where(v => !rows.ContainsKey(v.Info) && !UsesTemporaryTable(v.Info)).ToArray();
        // With every view's rows kept, no second connection is opened.
        using var sideSession = side.Length > 0 ? session.Duplicate() : null;
        var sideRows = Task.Run(() => side.Select(v => sideSession!.Query(v.Sql)).ToArray());
        var entityRows = entityFrame is null
            ? Task.Run(() => session.Query($"SELECT * FROM {relation()}", textAsArrow: true, streamRows: entityRowCount ?? 0))
            : Task.FromResult(new DataFrame(entityFrame.Columns.Select(c => c.Clone())));
        try
        {
            Task.WaitAll(sideRows, entityRows);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        foreach (var (view, read) in side.Zip(sideRows.Result))
        {
            rows[view.Info] = read;
            if (view.CacheKey is { } key)
            {
                _viewRows.Add(key, read);
            }
        }

        var entities = entityRows.Result;
        if (!views.All(v => PointInTimeJoin.Handles(entities, v.Info.JoinKeys, timestampColumn)))
        {
            return (null, entities);
        }

        var result = entities.Columns.ToList();
        foreach (var (info, wanted, sql, _) in views)
        {
            var viewRows = rows.TryGetValue(info, out var read) ? read : session.Query(sql);
            var matches = PointInTimeJoin.Match(entities, viewRows, info.JoinKeys, timestampColumn, info.View.Ttl);
            result.AddRange(wanted.Select(c => PointInTimeJoin.Gather(viewRows.Columns[c.Feature], matches, c.Name)));
        }

        return (new DataFrame(result), entities);
    }

    private static bool UsesTemporaryTable(FeatureViewInfo info) =>
        info.View.Source.StartsWith("dataframe:", StringComparison.Ordinal)
        || Path.GetExtension(info.View.Source).ToLowerInvariant() is ".arrow" or ".feather" or ".ipc";

    /// <summary>The file a view reads (whose rows may be cached), or null for a DataFrame or Arrow source.</summary>
    private static string? SourceFile(FeatureViewInfo info) =>
        UsesTemporaryTable(info) ? null : Path.GetFullPath(info.View.Source, info.BaseDirectory ?? Environment.CurrentDirectory);
}
