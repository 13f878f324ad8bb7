using System.Globalization;
using System.Text;
using NotebookMl.Core.Features;
using NotebookMl.Core.Features.Historical;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Features;

/// <summary>Point-in-time joins checked against an independent oracle: pandas merge_asof under /usr/bin/python3.</summary>
public sealed class HistoricalRetrievalTests : IDisposable
{
    private readonly FeatureWorkspace _workspace = new();

    [Fact]
    public async Task Edge_cases_match_merge_asof_equal_times_ttl_boundaries_missing_keys_late_rows_created_ties()
    {
        var features = """
            key,event_timestamp,created,value
            SEA,2001-01-01T10:00:00,2001-01-01T10:00:00,1.0
            SEA,2001-01-01T12:00:00,2001-01-01T12:00:00,2.0
            SEA,2001-01-01T12:00:00,2001-01-01T12:30:00,2.5
            SEA,2001-01-01T12:00:00,2001-01-01T12:10:00,2.2
            SEA,2001-01-03T00:00:00,2001-01-03T00:00:00,3.0
            SFO,2001-01-01T09:00:00,2001-01-01T09:00:00,10.0
            LAX,2001-01-02T00:00:00,2001-01-02T00:00:00,20.0
            """;
        var entities = """
            key,event_timestamp
            SEA,2001-01-01T12:00:00
            SEA,2001-01-01T11:59:59
            SEA,2001-01-01T09:59:59
            SEA,2001-01-02T12:00:00
            SEA,2001-01-02T12:00:01
            SFO,2001-01-01T09:00:00
            ORD,2001-01-01T12:00:00
            LAX,2001-01-01T23:59:59
            SEA,2001-01-03T00:00:00
            SEA,2001-01-01T12:00:00
            """;

        var (ours, oracle) = await CompareAsync(features, entities, TimeSpan.FromDays(1));

        Assert.Equal(oracle, ours);
        Assert.Equal(["2.5", "1", "", "2.5", "", "10", "", "", "3", "2.5"], ours.Select(r => r.Split(',')[2]));

        // Entity rows from a DataFrame (numbered by the table's rowid) come back in their order too.
        var frame = Microsoft.Data.Analysis.DataFrame.LoadCsv(Path.Combine(_workspace.Folder, "entities.csv"), dataTypes: [typeof(string), typeof(DateTime)]);
        var fromFrame = _workspace.Store.GetHistoricalFeatures(frame, FeatureReference.ParseList("values:value")).Frame;
        Assert.Equal(["2.5", "1", "", "2.5", "", "10", "", "", "3", "2.5"], Enumerable.Range(0, 10).Select(i => fromFrame["value"][i] is double v ? v.ToString("R", CultureInfo.InvariantCulture) : ""));
        Assert.Equal(frame["key"].Cast<string>(), fromFrame["key"].Cast<string>());
    }

    [Fact]
    public async Task Random_data_matches_merge_asof_row_for_row()
    {
        var random = new Random(20011);
        var start = new DateTime(2001, 1, 1);
        var keys = Enumerable.Range(0, 40).Select(i => $"K{i:00}").ToArray();
        var features = new StringBuilder("key,event_timestamp,created,value\n");
        for (var i = 0; i < 5000; i++)
        {
            var time = start.AddMinutes(random.Next(0, 60 * 24 * 30));
            features.Append(CultureInfo.InvariantCulture, $"{keys[random.Next(keys.Length)]},{time:yyyy-MM-ddTHH:mm:ss},{time.AddMinutes(random.Next(0, 5)):yyyy-MM-ddTHH:mm:ss},{Math.Round(random.NextDouble() * 100, 3)}\n");
        }

        var entities = new StringBuilder("key,event_timestamp\n");
        for (var i = 0; i < 3000; i++)
        {
            entities.Append(CultureInfo.InvariantCulture, $"{(random.Next(20) == 0 ? "NONE" : keys[random.Next(keys.Length)])},{start.AddMinutes(random.Next(0, 60 * 24 * 32)):yyyy-MM-ddTHH:mm:ss}\n");
        }

        var (ours, oracle) = await CompareAsync(features.ToString(), entities.ToString(), TimeSpan.FromHours(36));

        Assert.Equal(3000, ours.Count);
        Assert.Equal(oracle, ours);

        // The same entity rows from Parquet (numbered by the file's row numbers) give the same rows in the same order.
        var fromParquet = _workspace.Store.GetHistoricalFeatures(Path.Combine(_workspace.Folder, "training.parquet"), FeatureReference.ParseList("values:value"), fullNames: true).Frame;
        Assert.Equal(
            ours.Select(r => r.Split(',')[2]),
            Enumerable.Range(0, 3000).Select(i => fromParquet["values__value"][i] is double v ? v.ToString("R", CultureInfo.InvariantCulture) : ""));
        Assert.Contains(ours, r => r.EndsWith(",", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_join_keys_text_and_integer_give_the_same_rows_in_memory_as_in_duckdb()
    {
        // The in-memory join (PointInTimeJoin) and DuckDB's ASOF JOIN (the path that writes a file) agree.
        var random = new Random(7);
        var start = new DateTime(2001, 1, 1);
        var features = new StringBuilder("key,bucket,event_timestamp,value\n");
        for (var i = 0; i < 4000; i++)
        {
            features.Append(CultureInfo.InvariantCulture, $"K{random.Next(6)},{random.Next(4)},{start.AddMinutes(random.Next(0, 60 * 24 * 10)):yyyy-MM-ddTHH:mm:ss},{random.Next(1000)}\n");
        }

        var entities = new StringBuilder("key,bucket,event_timestamp\n");
        for (var i = 0; i < 2000; i++)
        {
            entities.Append(CultureInfo.InvariantCulture, $"K{random.Next(7)},{random.Next(5)},{start.AddMinutes(random.Next(0, 60 * 24 * 11)):yyyy-MM-ddTHH:mm:ss}\n");
        }

        _workspace.Write("features.csv", features.ToString());
        var entitiesPath = _workspace.Write("entities.csv", entities.ToString());
        _workspace.Store.Apply(new FeatureDefinitions(
            [new Entity("cell", ["key", "bucket"])],
            [new FeatureView
            {
                Name = "cells", Entities = ["cell"], Source = Path.Combine(_workspace.Folder, "features.csv"), Ttl = TimeSpan.FromHours(12),
                Features = [new Feature("value", FeatureType.Int64)],
            }]));
        var wanted = FeatureReference.ParseList("cells:value");

        var inMemory = _workspace.Store.GetHistoricalFeatures(entitiesPath, wanted).Frame;
        var inDuckDb = _workspace.Store.GetHistoricalFeatures(entitiesPath, wanted, outputPath: Path.Combine(_workspace.Folder, "cells.parquet")).Frame;

        Assert.Equal(2000, inMemory.Rows.Count);
        Assert.Equal(inDuckDb["value"].Cast<object?>(), inMemory["value"].Cast<object?>());
        Assert.Equal(inDuckDb["key"].Cast<object?>(), inMemory["key"].Cast<object?>());
        Assert.InRange(inMemory["value"].NullCount, 100, 1900);
    }

    [Fact]
    public void A_view_read_again_sees_its_source_file_changed_even_to_the_same_length()
    {
        // Given rows of a view kept between retrievals (the file last changed an hour ago)
        var features = _workspace.Write("features.csv", "key,event_timestamp,created,value\nSEA,2001-01-01T00:00:00,2001-01-01T00:00:00,1.0\n");
        File.SetLastWriteTimeUtc(features, DateTime.UtcNow.AddHours(-1));
        Apply(TimeSpan.FromDays(1));
        var entities = _workspace.Write("entities.csv", "key,event_timestamp\nSEA,2001-01-01T12:00:00\n");
        var wanted = FeatureReference.ParseList("values:value");
        Assert.Equal(1.0, _workspace.Store.GetHistoricalFeatures(entities, wanted).Frame["value"][0]);
        Assert.Equal(1.0, _workspace.Store.GetHistoricalFeatures(entities, wanted).Frame["value"][0]);

        // When the file changes to the same length (stamped later), then again within a second (racily: same stamp)
        File.WriteAllText(features, "key,event_timestamp,created,value\nSEA,2001-01-01T00:00:00,2001-01-01T00:00:00,2.0\n");
        File.SetLastWriteTimeUtc(features, DateTime.UtcNow.AddMinutes(-30));
        var changed = _workspace.Store.GetHistoricalFeatures(entities, wanted).Frame["value"][0];
        File.WriteAllText(features, "key,event_timestamp,created,value\nSEA,2001-01-01T00:00:00,2001-01-01T00:00:00,3.0\n");
        var racy = _workspace.Store.GetHistoricalFeatures(entities, wanted).Frame["value"][0];
        File.WriteAllText(features, "key,event_timestamp,created,value\nSEA,2001-01-01T00:00:00,2001-01-01T00:00:00,4.0\n");
        var again = _workspace.Store.GetHistoricalFeatures(entities, wanted).Frame["value"][0];

        // Then each retrieval has the file's rows as they were
        Assert.Equal([2.0, 3.0, 4.0], new[] { changed, racy, again });
    }

    [Fact]
    public void Unknown_views_features_and_missing_columns_are_clear_errors()
    {
        _workspace.Write("features.csv", "key,event_timestamp,created,value\nSEA,2001-01-01T00:00:00,2001-01-01T00:00:00,1\n");
        Apply(TimeSpan.FromDays(1));
        var entities = _workspace.Write("entities.csv", "key,when\nSEA,2001-01-01T00:00:00\n");

        Assert.Equal("timestampColumn: column 'event_timestamp' is missing from " + entities + "; columns are: key, when.",
            Assert.ThrowsAny<ArgumentException>(() => _workspace.Store.GetHistoricalFeatures(entities, FeatureReference.ParseList("values:value"))).Message);
        Assert.Equal("feature view 'values' has no feature 'nope'; features: value.",
            Assert.Throws<ArgumentException>(() => _workspace.Store.GetHistoricalFeatures(entities, FeatureReference.ParseList("values:nope"), "when")).Message);
        Assert.StartsWith("no feature view named 'other'; views: values.",
            Assert.Throws<ArgumentException>(() => _workspace.Store.GetHistoricalFeatures(entities, FeatureReference.ParseList("other:value"), "when")).Message);
        Assert.Equal("features: 'values.value' is not VIEW:FEATURE (e.g. origin_delays:mean_delay_7d).",
            Assert.ThrowsAny<ArgumentException>(() => FeatureReference.ParseList("values.value")).Message);
    }

    public void Dispose() => _workspace.Dispose();

    private void Apply(TimeSpan ttl)
    {
        _workspace.Store.Apply(new FeatureDefinitions(
            [new Entity("thing", ["key"])],
            [new FeatureView
            {
                Name = "values", Entities = ["thing"], Source = Path.Combine(_workspace.Folder, "features.csv"), CreatedTimestampColumn = "created", Ttl = ttl,
                Features = [new Feature("value", FeatureType.Double)],
            }]));
    }

    private async Task<(List<string> Ours, List<string> Oracle)> CompareAsync(string features, string entities, TimeSpan ttl)
    {
        _workspace.Write("features.csv", Dedent(features));
        var entitiesPath = _workspace.Write("entities.csv", Dedent(entities));
        Apply(ttl);
        var output = Path.Combine(_workspace.Folder, "training.parquet");

        var result = _workspace.Store.GetHistoricalFeatures(entitiesPath, FeatureReference.ParseList("values:value"), outputPath: output);

        var oraclePath = Path.Combine(_workspace.Folder, "oracle.csv");
        var run = await ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            [RepoPaths.Of("tests", "NotebookMl.Core.Tests", "Features", "pit_oracle.py"), Path.Combine(_workspace.Folder, "features.csv"), entitiesPath, ttl.TotalSeconds.ToString(CultureInfo.InvariantCulture), oraclePath],
            TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(File.Exists(output));
        Assert.Equal(1, result.Views["values"]);
        var ours = Enumerable.Range(0, (int)result.Frame.Rows.Count).Select(i =>
            $"{result.Frame["key"][i]},{(DateTime)result.Frame["event_timestamp"][i]!:yyyy-MM-ddTHH:mm:ss},{(result.Frame["value"][i] is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "")}").ToList();
        var oracle = File.ReadAllLines(oraclePath).Skip(1).Select(line =>
        {
            var parts = line.Split(',');
            return $"{parts[0]},{parts[1]},{(parts[2].Length == 0 ? "" : double.Parse(parts[2], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture))}";
        }).ToList();
        return (ours, oracle);
    }

    private static string Dedent(string text) => string.Join("\n", text.Split('\n').Select(l => l.Trim())) + "\n";
}
