using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;

namespace NotebookMl.Core.Features.Historical;

/// <summary>
/// Point-in-time correct retrieval: for each entity row, the latest row of each view with the same key
/// and event time ≤ the entity row's time, within the view's TTL (the latest created breaks ties); no
/// such row gives nulls. Entity rows keep their order. In memory (<see cref="PointInTimeJoin"/>) when
/// the key and time types allow it, else with DuckDB's ASOF join; to a Parquet file with DuckDB.
/// </summary>
internal sealed class HistoricalJoin(ViewRowsCache viewRows, TimeProvider timeProvider)
{
    /// <summary>The entity columns followed by the features (in memory, or read back from <paramref name="outputPath"/> once written).</summary>
    public DataFrame Run(DuckDbSession session, HistoricalEntities entities, IReadOnlyList<HistoricalView> views, string timestampColumn, string? outputPath)
    {
        DataFrame? scanned = null;
        if (outputPath is null)
        {
            var (frame, entityRows) = JoinInMemory(session, entities, views, timestampColumn);
            if (frame is not null)
            {
                return frame;
            }

            scanned = entityRows;
        }

        var q = (Func<string, string>)DuckDbSql.Quote;
        var entityRelation = entities.Relation();
        // Entity rows are numbered to give the result back in their order: from the file's own row
        // numbers or the table's rowid when there are (free), else with a window (a full pass).
        var numbered = entityRelation.StartsWith("read_parquet(", StringComparison.Ordinal)
            ? $"SELECT * EXCLUDE (file_row_number), file_row_number AS __row FROM {entityRelation[..^1]}, file_row_number = true)"
            : entityRelation.StartsWith("frame_", StringComparison.Ordinal)
                ? $"SELECT *, rowid AS __row FROM {entityRelation}"
                : $"SELECT *, row_number() OVER () AS __row FROM {entityRelation}";
        var sql = new StringBuilder($"WITH entity_rows AS ({numbered})");
        var select = new List<string> { $"entity_rows.* EXCLUDE (__row)" };
        var joins = new StringBuilder();
        for (var i = 0; i < views.Count; i++)
        {
            var (view, alias) = (views[i], $"v{i}");
            sql.Append($", {alias} AS ({view.Rows})");
            var keys = string.Join(" AND ", view.JoinKeys.Select(k => $"entity_rows.{q(k)} = {alias}.{q(k)}"));
            joins.Append($" ASOF LEFT JOIN {alias} ON {keys} AND entity_rows.{q(timestampColumn)} >= {alias}.event_timestamp");
            var fresh = view.Ttl is { } ttl
                ? $"entity_rows.{q(timestampColumn)} - {alias}.event_timestamp <= INTERVAL '{DuckDbSql.Seconds(ttl)} seconds'"
                : $"{alias}.event_timestamp IS NOT NULL";
            foreach (var (feature, name) in view.Columns)
            {
                select.Add($"CASE WHEN {fresh} THEN {alias}.{q(feature)} END AS {q(name)}");
            }
        }

        if (outputPath is not null)
        {
            var full = Path.GetFullPath(outputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temporary = full + ".partial";
            session.Execute($"COPY ({sql} SELECT {string.Join(", ", select)} FROM entity_rows{joins} ORDER BY entity_rows.__row) TO {DuckDbSql.Literal(temporary)} (FORMAT parquet)");
            File.Move(temporary, full, overwrite: true);
            return session.Query($"SELECT * FROM read_parquet({DuckDbSql.Literal(full)})");
        }

        // Other key or time types: only the features go through DuckDB's ASOF join and the sort back into
        // entity order; the entity columns come from a plain scan, which keeps the rows' order.
        var featureFrame = session.Query($"{sql} SELECT {string.Join(", ", select.Skip(1))} FROM entity_rows{joins} ORDER BY entity_rows.__row");
        return new DataFrame(scanned!.Columns.Concat(featureFrame.Columns));
    }

    /// <summary>
    /// Reads the entity rows (a file, streamed in its order, text as read-only UTF-8 columns; a DataFrame,
    /// copied) and, at the same time on a second connection, each view's rows sorted by key and time (or
    /// takes them from <see cref="ViewRowsCache"/>); then joins them in memory. The frame is null when the
    /// entity columns are of types the in-memory join does not take: the caller joins in DuckDB, with the
    /// entity rows already read.
    /// </summary>
    private (DataFrame? Frame, DataFrame EntityRows) JoinInMemory(DuckDbSession session, HistoricalEntities entities, IReadOnlyList<HistoricalView> views, string timestampColumn)
    {
        var plans = views.Select(view =>
        {
            var keys = string.Join(", ", view.JoinKeys.Select(DuckDbSql.Quote));
            var wanted = string.Join(", ", view.Columns.Select(c => DuckDbSql.Quote(c.Feature)).Distinct());

            // All rows of a key and event time, the latest created last: the join takes the last of them.
            var sql = $"SELECT {keys}, event_timestamp, {wanted} FROM ({view.AllRows}) ORDER BY {keys}, event_timestamp, created_timestamp NULLS FIRST";
            return (View: view, Sql: sql, CacheKey: view.SourceFile is { } file ? ViewRowsCache.Key(sql, file, timeProvider.GetUtcNow()) : null);
        }).ToArray();

        var rows = new Dictionary<HistoricalView, DataFrame>();
        foreach (var plan in plans)
        {
            if (plan.CacheKey is { } key && viewRows.TryGet(key, out var cached))
            {
                rows[plan.View] = cached;
            }
        }

        // DataFrame and Arrow sources are temporary tables of this connection, which another cannot see.
        var side = plans.Where(p => !rows.ContainsKey(p.View) && p.View.SourceFile is not null).ToArray();
        // With every view's rows kept, no second connection is opened.
        using var sideSession = side.Length > 0 ? session.Duplicate() : null;
        var sideRows = Task.Run(() => side.Select(p => sideSession!.Query(p.Sql)).ToArray());
        var entityRows = entities.Frame is null
            ? Task.Run(() => session.Query($"SELECT * FROM {entities.Relation()}", textAsArrow: true, streamRows: entities.RowCount ?? 0))
            : Task.FromResult(new DataFrame(entities.Frame.Columns.Select(c => c.Clone())));
        try
        {
            Task.WaitAll(sideRows, entityRows);
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        foreach (var (plan, read) in side.Zip(sideRows.Result))
        {
            rows[plan.View] = read;
            if (plan.CacheKey is { } key)
            {
                viewRows.Add(key, read);
            }
        }

        var entityFrame = entityRows.Result;
        if (!views.All(v => PointInTimeJoin.Handles(entityFrame, v.JoinKeys, timestampColumn)))
        {
            return (null, entityFrame);
        }

        var result = entityFrame.Columns.ToList();
        foreach (var (view, sql, _) in plans)
        {
            var viewFrame = rows.TryGetValue(view, out var read) ? read : session.Query(sql);
            var matches = PointInTimeJoin.Match(entityFrame, viewFrame, view.JoinKeys, timestampColumn, view.Ttl);
            result.AddRange(view.Columns.Select(c => PointInTimeJoin.Gather(viewFrame.Columns[c.Feature], matches, c.Name)));
        }

        return (new DataFrame(result), entityFrame);
    }
}
