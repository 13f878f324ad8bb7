using System.Text;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Options;

namespace NotebookMl.Core.Features;

/// <summary>Point-in-time correct historical retrieval.</summary>
public sealed partial class FeatureStore
{
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

        var q = FeatureViewSql.Quote;
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

        var lineage = views.ToDictionary(v => v.Info.View.Name, v => v.Info.Version);
        DataFrame? scanned = null;
        if (outputPath is null)
        {
            var (frame, entityRows) = JoinInMemory(session, relation, entityRowCount, entityFrame, columns, timestampColumn);
            if (frame is not null)
            {
                return new HistoricalFeatures(frame, lineage, null);
            }

            scanned = entityRows;
        }

        var entityRelation = relation();
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
        foreach (var (info, wanted, alias) in views)
        {
            sql.Append($", {alias} AS ({ViewSql(info, session)})");
            var keys = string.Join(" AND ", info.JoinKeys.Select(k => $"entity_rows.{q(k)} = {alias}.{q(k)}"));
            joins.Append($" ASOF LEFT JOIN {alias} ON {keys} AND entity_rows.{q(timestampColumn)} >= {alias}.event_timestamp");
            var fresh = info.View.Ttl is { } ttl
                ? $"entity_rows.{q(timestampColumn)} - {alias}.event_timestamp <= INTERVAL '{FeatureViewSql.Seconds(ttl)} seconds'"
                : $"{alias}.event_timestamp IS NOT NULL";
            foreach (var (_, feature, name) in columns.Where(c => c.Info == info))
            {
                select.Add($"CASE WHEN {fresh} THEN {alias}.{q(feature)} END AS {q(name)}");
            }
        }

        if (outputPath is not null)
        {
            var full = Path.GetFullPath(outputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temporary = full + ".partial";
            session.Execute($"COPY ({sql} SELECT {string.Join(", ", select)} FROM entity_rows{joins} ORDER BY entity_rows.__row) TO {FeatureViewSql.Literal(temporary)} (FORMAT parquet)");
            File.Move(temporary, full, overwrite: true);
            return new HistoricalFeatures(session.Query($"SELECT * FROM read_parquet({FeatureViewSql.Literal(full)})"), lineage, full);
        }

        // Other key or time types: only the features go through DuckDB's ASOF join and the sort back into
        // entity order; the entity columns come from a plain scan, which keeps the rows' order.
        var featureFrame = session.Query($"{sql} SELECT {string.Join(", ", select.Skip(1))} FROM entity_rows{joins} ORDER BY entity_rows.__row");
        return new HistoricalFeatures(new DataFrame(scanned!.Columns.Concat(featureFrame.Columns)), lineage, null);
    }
}
