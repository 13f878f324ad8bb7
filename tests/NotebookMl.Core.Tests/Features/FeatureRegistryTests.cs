using NotebookMl.Core.Features;
using NotebookMl.Core.Storage;
using NotebookMl.Testing;

namespace NotebookMl.Core.Tests.Features;

/// <summary>Definitions: versions, the definitions file, windowed aggregates, and checks before anything is stored.</summary>
public abstract class FeatureRegistryTests(StoreEngine engine) : IDisposable
{
    private readonly FeatureWorkspace _workspace = new(engine: engine);

    [Fact]
    public void A_changed_definition_is_a_new_version_and_old_versions_stay_readable()
    {
        _workspace.Write("flights.csv", "origin,date,delay\nSEA,2001-01-01T10:00:00,5\n");
        var file = _workspace.Write("features.yaml", """
            entities:
              airport:
                join_keys: [origin]
            feature_views:
              delays:
                entities: [airport]
                source: flights.csv
                timestamp: date
                ttl: 7d
                features:
                  delay: double
            """);

        var first = _workspace.Store.Apply(FeatureDefinitionsFile.Read(file));
        var again = _workspace.Store.Apply(FeatureDefinitionsFile.Read(file));
        File.WriteAllText(file, File.ReadAllText(file).Replace("ttl: 7d", "ttl: 3d", StringComparison.Ordinal));
        var changed = _workspace.Store.Apply(FeatureDefinitionsFile.Read(file));

        Assert.Equal([new AppliedDefinition("entity", "airport", 1, true), new AppliedDefinition("feature_view", "delays", 1, true)], first);
        Assert.All(again, a => Assert.False(a.Changed));
        Assert.Equal(new AppliedDefinition("feature_view", "delays", 2, true), changed[1]);
        Assert.Equal(TimeSpan.FromDays(3), _workspace.Store.GetView("delays").View.Ttl);
        Assert.Equal(TimeSpan.FromDays(7), _workspace.Store.GetView("delays", 1).View.Ttl);
        Assert.Equal(2, Assert.Single(_workspace.Store.ListViews()).Version);
    }

    [Fact]
    public void A_windowed_aggregate_covers_the_previous_window_and_leaves_out_rows_at_the_same_time()
    {
        _workspace.Write("flights.csv", """
            origin,date,delay
            SEA,2001-01-01T10:00:00,10
            SEA,2001-01-03T10:00:00,20
            SEA,2001-01-03T10:00:00,40
            SEA,2001-01-09T10:00:00,100
            SFO,2001-01-09T10:00:00,7
            """.Replace("    ", "", StringComparison.Ordinal));
        _workspace.Store.Apply(new FeatureDefinitions(
            [new Entity("airport", ["origin"])],
            [new FeatureView
            {
                Name = "delays", Entities = ["airport"], Source = "flights.csv", TimestampColumn = "date", Features = [],
                Aggregates = [new WindowAggregate("mean_delay_7d", "avg", "delay", TimeSpan.FromDays(7)), new WindowAggregate("flights_7d", "count", "delay", TimeSpan.FromDays(7))],
            }],
            _workspace.Folder));

        var rows = _workspace.Store.ReadView("delays");
        string Row(string origin, string date) =>
            Enumerable.Range(0, (int)rows.Rows.Count).Where(i => (string)rows["origin"][i] == origin && ((DateTime)rows["event_timestamp"][i]!).ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture) == date)
                .Select(i => $"{rows["mean_delay_7d"][i]}/{rows["flights_7d"][i]}").Single();

        Assert.Equal("/0", Row("SEA", "01-01"));
        Assert.Equal("10/1", Row("SEA", "01-03"));
        Assert.Equal("30/2", Row("SEA", "01-09"));
        Assert.Equal("/0", Row("SFO", "01-09"));
        Assert.Equal([FeatureType.Double, FeatureType.Int64], _workspace.Store.GetView("delays").View.Features.Select(f => f.Type));
    }

    [Fact]
    public void Bad_definitions_are_refused_before_anything_is_stored()
    {
        _workspace.Write("flights.csv", "origin,date,delay\nSEA,2001-01-01T10:00:00,5\n");
        FeatureView View(string column) => new()
        {
            Name = "delays", Entities = ["airport"], Source = "flights.csv", TimestampColumn = "date", Features = [new Feature(column, FeatureType.Double)],
        };

        var missing = Assert.Throws<ArgumentException>(() => _workspace.Store.Apply(new FeatureDefinitions([new Entity("airport", ["origin"])], [View("dleay")], _workspace.Folder)));
        var entity = Assert.Throws<ArgumentException>(() => _workspace.Store.Apply(new FeatureDefinitions([], [View("delay") with { Entities = ["route"] }], _workspace.Folder)));
        var file = _workspace.Write("bad.yaml", "feature_views:\n  delays:\n    entities: [airport]\n    source: flights.csv\n    ttl: soon\n");

        Assert.StartsWith("feature view 'delays': DuckDB cannot compute its rows: ", missing.Message);
        Assert.True(missing.Message.Contains("dleay", StringComparison.Ordinal), missing.Message);
        Assert.Equal("feature view 'delays': unknown entity 'route'; entities: airport.", entity.Message);
        Assert.Equal($"{file}:5: feature_views.delays.ttl: 'soon' is not a duration; expected e.g. 90s, 10m, 1h30m or 7d.", Assert.Throws<InvalidDataException>(() => FeatureDefinitionsFile.Read(file)).Message);
        Assert.Empty(_workspace.Store.ListViews());
    }

    public void Dispose() => _workspace.Dispose();
}

/// <summary>The feature registry on the embedded store.</summary>
public sealed class FeatureRegistryTestsOnSqlite() : FeatureRegistryTests(StoreEngine.Sqlite);

/// <summary>The feature registry on PostgreSQL.</summary>
public sealed class FeatureRegistryTestsOnPostgreSql() : FeatureRegistryTests(StoreEngine.PostgreSql);
