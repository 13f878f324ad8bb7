using System.Globalization;
using NotebookMl.Core.Data;

namespace NotebookMl.Core.Features;

/// <summary>A feature view's rows summarized: counts, time span and per-feature statistics with histograms.</summary>
internal static class FeatureViewDescriber
{
    /// <summary>Summarizes the rows of <paramref name="info"/>, whose SQL is <paramref name="viewSql"/> in <paramref name="session"/>.</summary>
    public static FeatureViewDescription Describe(DuckDbSession session, FeatureViewInfo info, string viewSql)
    {
        session.Execute($"CREATE TEMP TABLE view_rows AS {viewSql}");
        var totals = session.Query("SELECT count(*) AS n, min(event_timestamp) AS first, max(event_timestamp) AS last FROM view_rows");
        var stats = info.View.Features.Select(f => Statistics(session, f)).ToArray();
        return new FeatureViewDescription(info, Convert.ToInt64(totals["n"][0], CultureInfo.InvariantCulture), totals["first"][0] as DateTime?, totals["last"][0] as DateTime?, stats);
    }

    private static FeatureStatistics Statistics(DuckDbSession session, Feature feature)
    {
        var column = DuckDbSql.Quote(feature.Name);
        if (feature.Type is FeatureType.Double or FeatureType.Int64)
        {
            var summary = session.Query($"SELECT count(*) - count({column}) AS nulls, min({column})::DOUBLE AS lo, max({column})::DOUBLE AS hi, avg({column})::DOUBLE AS mean FROM view_rows");
            var lo = summary["lo"][0] as double?;
            var hi = summary["hi"][0] as double?;
            var counts = new long[10];
            var labels = new string[10];
            if (lo is { } min && hi is { } max)
            {
                var width = max > min ? (max - min) / 10 : 1;
                var bins = session.Query($"""
                    SELECT least(9, CAST(floor(({column}::DOUBLE - {min.ToString("R", CultureInfo.InvariantCulture)}) / {width.ToString("R", CultureInfo.InvariantCulture)}) AS BIGINT)) AS bin, count(*) AS n
                    FROM view_rows WHERE {column} IS NOT NULL GROUP BY bin
                    """);
                for (var i = 0; i < bins.Rows.Count; i++)
                {
                    counts[Convert.ToInt32(bins["bin"][i], CultureInfo.InvariantCulture)] = Convert.ToInt64(bins["n"][i], CultureInfo.InvariantCulture);
                }

                for (var i = 0; i < 10; i++)
                {
                    labels[i] = (min + (i * width)).ToString("G4", CultureInfo.InvariantCulture);
                }
            }

            return new FeatureStatistics(feature, Convert.ToInt64(summary["nulls"][0], CultureInfo.InvariantCulture), Text(lo), Text(hi), summary["mean"][0] as double?, counts, labels);
        }

        var basic = session.Query($"SELECT count(*) - count({column}) AS nulls, min({column})::VARCHAR AS lo, max({column})::VARCHAR AS hi FROM view_rows");
        var top = session.Query($"SELECT {column}::VARCHAR AS v, count(*) AS n FROM view_rows WHERE {column} IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT 10");
        return new FeatureStatistics(
            feature,
            Convert.ToInt64(basic["nulls"][0], CultureInfo.InvariantCulture),
            basic["lo"][0] as string,
            basic["hi"][0] as string,
            null,
            Enumerable.Range(0, (int)top.Rows.Count).Select(i => Convert.ToInt64(top["n"][i], CultureInfo.InvariantCulture)).ToArray(),
            Enumerable.Range(0, (int)top.Rows.Count).Select(i => (string)top["v"][i]!).ToArray());
    }

    private static string? Text(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture);
}
