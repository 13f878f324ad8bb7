using System.Runtime.ExceptionServices;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Features;

/// <summary>Historical retrieval into memory with <see cref="PointInTimeJoin"/>.</summary>
public sealed partial class FeatureStore
{
    /// <summary>
    /// Reads the entity rows (a file, in its order, text as read-only UTF-8 columns; a DataFrame, copied) and, at the same time on a second
    /// connection, each view's rows sorted by key and time; then joins them in memory. The frame is null
    /// when the entity columns are of types the in-memory join does not take: the caller joins in DuckDB,
    /// with the entity rows already read.
    /// </summary>
    private (DataFrame? Frame, DataFrame EntityRows) JoinInMemory(
        DuckDbSession session, Func<string> relation, DataFrame? entityFrame, IReadOnlyList<(FeatureViewInfo Info, string Feature, string Name)> columns, string timestampColumn)
    {
        var views = columns.GroupBy(c => c.Info).Select(g =>
        {
            var keys = string.Join(", ", g.Key.JoinKeys.Select(FeatureViewSql.Quote));
            var wanted = string.Join(", ", g.Select(c => FeatureViewSql.Quote(c.Feature)).Distinct());
            var sql = $"SELECT {keys}, event_timestamp, {wanted} FROM ({ViewSql(g.Key, session)}) ORDER BY {keys}, event_timestamp";
            return (Info: g.Key, Columns: g.ToArray(), Sql: sql);
        }).ToArray();

        // DataFrame and Arrow sources are temporary tables of this connection, which another cannot see.
        var shared = views.Where(v => !UsesTemporaryTable(v.Info)).ToArray();
        using var side = session.Duplicate();
        var sideRows = Task.Run(() => shared.Select(v => side.Query(v.Sql)).ToArray());
        var entityRows = entityFrame is null ? Task.Run(() => session.Query($"SELECT * FROM {relation()}", textAsArrow: true)) : Task.FromResult(new DataFrame(entityFrame.Columns.Select(c => c.Clone())));
        try
        {
            Task.WaitAll(sideRows, entityRows);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var entities = entityRows.Result;
        if (!views.All(v => PointInTimeJoin.Handles(entities, v.Info.JoinKeys, timestampColumn)))
        {
            return (null, entities);
        }

        var rows = shared.Zip(sideRows.Result).ToDictionary(p => p.First.Info, p => p.Second);
        var result = entities.Columns.ToList();
        foreach (var (info, wanted, sql) in views)
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
}
