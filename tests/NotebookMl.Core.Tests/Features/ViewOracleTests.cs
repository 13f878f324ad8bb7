using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using NotebookMl.Core.Features;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Features;

/// <summary>
/// Feature views with a <c>query:</c> over Parquet and window aggregates, joined point-in-time, against
/// pandas (view_oracle.py under /usr/bin/python3): every window function, left-closed and including the
/// current row, and the example's own views of features/flights.yaml on a sample of the flights.
/// NotebookMl reads Parquet; pandas reads the same rows as CSV.
/// </summary>
public sealed class ViewOracleTests : IDisposable
{
    private readonly FeatureWorkspace _workspace = new();

    [Fact]
    public async Task Every_window_function_of_a_query_view_over_parquet_matches_pandas()
    {
        var random = new Random(41);
        var start = new DateTime(2001, 1, 1);
        var source = new StringBuilder("key,ts,value\n");
        var times = new List<DateTime>();
        for (var i = 0; i < 4000; i++)
        {
            // Whole minutes over ten days: many rows of one key share a time.
            var time = i % 10 == 0 && times.Count > 0 ? times[random.Next(times.Count)] : start.AddMinutes(random.Next(0, 60 * 24 * 10));
            times.Add(time);
            var value = random.Next(20) == 0 ? "" : Math.Round((random.NextDouble() * 200) - 50, 3).ToString(CultureInfo.InvariantCulture);
            source.Append(CultureInfo.InvariantCulture, $"K{random.Next(8)},{time:yyyy-MM-dd HH:mm:ss},{value}\n");
        }

        var entities = new StringBuilder("key,when\n");
        for (var i = 0; i < 3000; i++)
        {
            // K7 is filtered out by the view's query; K8 is never in the source; some rows at a source time exactly.
            var time = i % 4 == 0 ? times[random.Next(times.Count)] : start.AddMinutes(random.Next(0, 60 * 24 * 11)).AddSeconds(random.Next(60));
            entities.Append(CultureInfo.InvariantCulture, $"K{random.Next(9)},{time:yyyy-MM-dd HH:mm:ss}\n");
        }

        var (csv, parquet) = WriteBoth("source", source.ToString());
        var entitiesPath = _workspace.Write("entities.csv", entities.ToString());
        var aggregates = WindowAggregate.Functions
            .SelectMany(f => new[] { new WindowAggregate($"{f}_3h", f, "value", TimeSpan.FromHours(3)), new WindowAggregate($"{f}_3h_now", f, "value", TimeSpan.FromHours(3), IncludeCurrent: true) })
            .ToArray();
        var view = new FeatureView
        {
            Name = "windows", Entities = ["thing"], Source = parquet, TimestampColumn = "ts", Ttl = TimeSpan.FromDays(2),
            Query = "SELECT key, ts, value FROM source WHERE key <> 'K7'", Aggregates = aggregates, Features = [],
        };
        _workspace.Store.Apply(new FeatureDefinitions([new Entity("thing", ["key"])], [view]));

        var ours = _workspace.Store.GetHistoricalFeatures(entitiesPath, aggregates.Select(a => new FeatureReference("windows", a.Name)).ToArray(), "when").Frame;
        var oracle = await OracleAsync(csv, entitiesPath, "when", [Spec(view, "without_k7", ["key"])]);

        AssertSameRows(oracle, ours, aggregates.Select(a => a.Name).ToArray(), 3000);
        Assert.InRange(ours["count_3h"].NullCount, 300, 1500);
    }

    [Fact]
    public async Task The_example_views_match_pandas_row_for_row_on_a_sample_of_the_flights()
    {
        var (csv, parquet) = CopyBoth("flights", $"""
            SELECT date, origin, destination, distance, delay FROM '{RepoPaths.Of("datasets", "flights-3m.parquet")}'
            WHERE origin IN ('SEA', 'LAS', 'ORD', 'PHX', 'BOS') AND date < '2001-03-01' AND hash(date, origin, destination, delay) % 3 = 0
            """);
        var shipped = FeatureDefinitionsFile.Read(RepoPaths.Of("features", "flights.yaml"));
        var views = new[] { ("origin_landed", "landed"), ("origin_delays", "identity"), ("route_delays", "identity") }
            .Select(v => (View: shipped.Views.Single(s => s.Name == v.Item1) with { Source = parquet }, Derive: v.Item2))
            .ToArray();
        _workspace.Store.Apply(shipped with { Views = views.Select(v => v.View).ToArray() });
        // Departures to predict: every 7th sampled flight, some moved a few minutes.
        var (entitiesPath, _) = CopyBoth("departures", $"""
            SELECT origin, destination, date + to_minutes(CAST(hash(date, destination) % 3 AS BIGINT) * 7) AS date
            FROM '{parquet}' WHERE hash(date, origin, delay) % 7 = 0
            """);
        var features = views.SelectMany(v => v.View.Aggregates.Select(a => new FeatureReference(v.View.Name, a.Name))).ToArray();

        var ours = _workspace.Store.GetHistoricalFeatures(entitiesPath, features, "date").Frame;
        var keys = shipped.Entities.ToDictionary(e => e.Name, e => e.JoinKeys);
        var oracle = await OracleAsync(csv, entitiesPath, "date", views.Select(v => Spec(v.View, v.Derive, keys[v.View.Entities.Single()])).ToArray());

        Assert.InRange(ours.Rows.Count, 1000, 20_000);
        AssertSameRows(oracle, ours, features.Select(f => f.Feature).ToArray(), ours.Rows.Count);
        Assert.True(ours["mean_landed_delay_3h"].NullCount < ours.Rows.Count / 2, "most departures have landings in the 3 hours before");
    }

    public void Dispose() => _workspace.Dispose();

    private static object Spec(FeatureView view, string derive, IReadOnlyList<string> keys) => new
    {
        name = view.Name, derive, keys, timestamp = view.TimestampColumn, ttl_seconds = view.Ttl?.TotalSeconds ?? 0,
        aggregates = view.Aggregates.Select(a => new { name = a.Name, function = a.Function, column = a.Column, window_seconds = a.Window.TotalSeconds, include_current = a.IncludeCurrent }),
    };

    private async Task<string[][]> OracleAsync(string source, string entities, string entityTimestamp, object[] views)
    {
        var spec = _workspace.Write("oracle.json", JsonSerializer.Serialize(new { source, entities, entity_timestamp = entityTimestamp, @out = Path.Combine(_workspace.Folder, "oracle.csv"), views }));
        var run = await ProcessRunner.RunAsync(RepoPaths.SystemPython, [RepoPaths.Of("tests", "NotebookMl.Core.Tests", "Features", "view_oracle.py"), spec], TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Output);
        return File.ReadAllLines(Path.Combine(_workspace.Folder, "oracle.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
    }

    private static void AssertSameRows(string[][] oracle, Microsoft.Data.Analysis.DataFrame ours, string[] names, long rows)
    {
        Assert.Equal(rows, oracle.Length);
        Assert.Equal(rows, ours.Rows.Count);
        var compared = 0;
        for (var c = 0; c < names.Length; c++)
        {
            var column = ours[names[c]];
            for (var row = 0; row < rows; row++)
            {
                var expected = oracle[row][c];
                var actual = column[row] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : (double?)null;
                if (expected.Length == 0)
                {
                    Assert.True(actual is null, $"{names[c]}, row {row}: pandas has none, NotebookMl {actual}");
                    continue;
                }

                var value = double.Parse(expected, CultureInfo.InvariantCulture);
                Assert.True(actual is not null, $"{names[c]}, row {row}: pandas {value}, NotebookMl none");
                Assert.True(Math.Abs(value - actual!.Value) <= 1e-9 * Math.Max(1, Math.Abs(value)), $"{names[c]}, row {row}: pandas {value:R}, NotebookMl {actual:R}");
                compared++;
            }
        }

        Assert.True(compared > rows, $"only {compared} values were present to compare");
    }

    private (string Csv, string Parquet) WriteBoth(string name, string csvText)
    {
        var csv = _workspace.Write($"{name}.csv", csvText);
        return (csv, Copy($"SELECT * FROM read_csv('{csv}', header = true)", name, "parquet"));
    }

    private (string Csv, string Parquet) CopyBoth(string name, string query) => (Copy(query, name, "csv"), Copy(query, name, "parquet"));

    private string Copy(string query, string name, string format)
    {
        var path = Path.Combine(_workspace.Folder, $"{name}.{format}");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({query}) TO '{path}' (FORMAT {format.ToUpperInvariant()})";
        command.ExecuteNonQuery();
        return path;
    }
}
