using Microsoft.Extensions.Time.Testing;
using NotebookMl.Core.Features;
using NotebookMl.Core.Features.Online;
using NotebookMl.Testing;
using StackExchange.Redis;

namespace NotebookMl.Core.Tests.Features;

/// <summary>Materialization and online lookups on the embedded SQLite store and a real Redis: latest values, TTL, incremental runs.</summary>
public sealed class OnlineStoreTests
{
    private static readonly DateTime s_day = new(2001, 1, 10);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public void Materialized_values_are_the_latest_per_key_and_expire_after_the_ttl(string backend)
    {
        using var redis = backend == "redis" ? new RedisServer() : null;
        var clock = new FakeTimeProvider(new DateTimeOffset(s_day.AddHours(12), TimeSpan.Zero));
        using var workspace = new FeatureWorkspace(redis is null ? null : RedisOnlineStore.Connect(redis.Address, clock), clock);
        Define(workspace, """
            origin,event_timestamp,delay,flights
            SEA,2001-01-09T08:00:00,5.5,10
            SEA,2001-01-10T08:00:00,7.25,12
            SFO,2001-01-10T09:00:00,3.0,4
            SFO,2001-01-10T23:00:00,99.0,1
            LAX,2001-01-01T00:00:00,1.0,1
            """);

        var done = workspace.Store.Materialize(s_day.AddDays(-30), s_day.AddHours(12));
        var features = FeatureReference.ParseList("delays:delay,delays:flights");

        Assert.Equal(3, Assert.Single(done).Rows);
        Assert.Equal(new Dictionary<string, object?> { ["delays:delay"] = 7.25, ["delays:flights"] = 12L }, workspace.Store.GetOnlineFeatures(features, Key("SEA")));
        Assert.Equal(3.0, workspace.Store.GetOnlineFeatures(features, Key("SFO"))["delays:delay"]);
        Assert.Null(workspace.Store.GetOnlineFeatures(features, Key("LAX"))["delays:delay"]);
        Assert.Null(workspace.Store.GetOnlineFeatures(features, Key("ORD"))["delays:delay"]);

        clock.SetUtcNow(new DateTimeOffset(s_day.AddDays(1).AddHours(8), TimeSpan.Zero));
        Assert.Equal(7.25, workspace.Store.GetOnlineFeatures(features, Key("SEA"))["delays:delay"]);
        clock.SetUtcNow(new DateTimeOffset(s_day.AddDays(1).AddHours(8).AddSeconds(1), TimeSpan.Zero));
        Assert.Null(workspace.Store.GetOnlineFeatures(features, Key("SEA"))["delays:delay"]);
    }

    [Fact]
    public void Redis_keys_expire_when_their_rows_pass_the_views_ttl()
    {
        using var redis = new RedisServer();
        var clock = new FakeTimeProvider(new DateTimeOffset(s_day.AddHours(12), TimeSpan.Zero));
        using var workspace = new FeatureWorkspace(RedisOnlineStore.Connect(redis.Address, clock), clock);
        Define(workspace, """
            origin,event_timestamp,delay,flights
            SEA,2001-01-10T08:00:00,7.25,12
            SFO,2001-01-10T11:30:00,3.0,4
            LAX,2001-01-01T00:00:00,1.0,1
            """);

        workspace.Store.Materialize(s_day.AddDays(-30), s_day.AddHours(12));

        // Read back from Redis itself: each key's PTTL is its row's event time + the view's TTL (1 day) - now.
        using var client = ConnectionMultiplexer.Connect(redis.Address);
        var database = client.GetDatabase();
        var sea = (long)database.Execute("PTTL", "notebookml:delays:origin=SEA");
        var sfo = (long)database.Execute("PTTL", "notebookml:delays:origin=SFO");
        Assert.InRange(sea, TimeSpan.FromHours(20).TotalMilliseconds - 60_000, TimeSpan.FromHours(20).TotalMilliseconds);
        Assert.InRange(sfo, TimeSpan.FromHours(23.5).TotalMilliseconds - 60_000, TimeSpan.FromHours(23.5).TotalMilliseconds);
        // A row already past its TTL is not written at all.
        Assert.False(database.KeyExists("notebookml:delays:origin=LAX"));
        Assert.Equal(2L, (long)database.Execute("DBSIZE"));
    }

    [Fact]
    public void Incremental_materialization_continues_where_the_last_ended_and_never_goes_back_in_time()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(s_day, TimeSpan.Zero));
        using var workspace = new FeatureWorkspace(null, clock);
        Define(workspace, """
            origin,event_timestamp,delay,flights
            SEA,2001-01-09T08:00:00,1.0,1
            SEA,2001-01-09T20:00:00,2.0,2
            """);
        var delay = FeatureReference.ParseList("delays:delay");

        var first = workspace.Store.MaterializeIncremental(s_day.AddHours(-12));
        var second = workspace.Store.MaterializeIncremental(s_day);
        var replay = workspace.Store.Materialize(s_day.AddDays(-2), s_day.AddHours(-12));

        Assert.Equal((1L, s_day.AddHours(-12)), (Assert.Single(first).Rows, first[0].End));
        Assert.Equal((s_day.AddHours(-12), 1L), (second[0].Start, second[0].Rows));
        Assert.Equal(1, replay[0].Rows);
        Assert.Equal(2.0, workspace.Store.GetOnlineFeatures(delay, Key("SEA"))["delays:delay"]);
    }

    [Fact]
    public void A_missing_join_key_or_an_unreachable_redis_is_a_clear_error()
    {
        using var workspace = new FeatureWorkspace();
        Define(workspace, "origin,event_timestamp,delay,flights\nSEA,2001-01-09T08:00:00,1.0,1\n");

        Assert.Equal("key: feature view 'delays' is keyed by origin; 'origin' is missing.",
            Assert.ThrowsAny<ArgumentException>(() => workspace.Store.GetOnlineFeatures(FeatureReference.ParseList("delays:delay"), new Dictionary<string, object?> { ["dest"] = "SEA" })).Message);
        Assert.StartsWith("online_store redis://127.0.0.1:1: cannot connect",
            Assert.Throws<InvalidOperationException>(() => RedisOnlineStore.Connect("127.0.0.1:1")).Message);
    }

    [Fact]
    public void Inputs_the_rows_lack_are_joined_from_the_online_store_through_the_models_feature_views()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(s_day.AddHours(12), TimeSpan.Zero));
        using var workspace = new FeatureWorkspace(null, clock);
        Define(workspace, """
            origin,event_timestamp,delay,flights
            SEA,2001-01-10T08:00:00,7.25,12
            LAX,2001-01-01T00:00:00,1.0,1
            """);
        workspace.Store.Materialize(s_day.AddDays(-30), s_day.AddHours(12));
        var rows = new Microsoft.Data.Analysis.DataFrame(
            new Microsoft.Data.Analysis.StringDataFrameColumn("origin", ["SEA", "LAX", "ORD"]),
            new Microsoft.Data.Analysis.DoubleDataFrameColumn("distance", [100.0, 200, 300]));

        var joined = OnlineFeatureJoin.Join(workspace.Store, rows, ["distance", "delay", "flights"], ["delays"]);

        Assert.Equal(["origin", "distance", "delay", "flights"], joined.Columns.Select(c => c.Name));
        // SEA fresh; LAX past the view's one-day TTL; ORD never materialized: nulls, imputed by the model as at training.
        Assert.Equal([7.25, null, null], joined["delay"].Cast<double?>());
        Assert.Equal([12.0, null, null], joined["flights"].Cast<double?>());
        Assert.StartsWith("the model's input 'hour' is not a column of the rows nor a feature of its feature views (delays)",
            Assert.Throws<ArgumentException>(() => OnlineFeatureJoin.Join(workspace.Store, rows, ["hour"], ["delays"])).Message);
        Assert.StartsWith("the rows have no column 'origin'",
            Assert.Throws<ArgumentException>(() => OnlineFeatureJoin.Join(workspace.Store, new Microsoft.Data.Analysis.DataFrame(rows["distance"]), ["delay"], ["delays"])).Message);
    }

    private static Dictionary<string, object?> Key(string origin) => new() { ["origin"] = origin };

    private static void Define(FeatureWorkspace workspace, string csv)
    {
        var source = workspace.Write("delays.csv", string.Join("\n", csv.Split('\n').Select(l => l.Trim())));
        workspace.Store.Apply(new FeatureDefinitions(
            [new Entity("airport", ["origin"])],
            [new FeatureView
            {
                Name = "delays", Entities = ["airport"], Source = source, Ttl = TimeSpan.FromDays(1),
                Features = [new Feature("delay", FeatureType.Double), new Feature("flights", FeatureType.Int64)],
            }]));
    }
}
