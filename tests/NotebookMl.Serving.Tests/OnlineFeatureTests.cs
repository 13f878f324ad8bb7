using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Datasets;
using NotebookMl.Core.Features;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Serving.Hosting;
using NotebookMl.Testing;
using NotebookMl.Training.Registration;
using NotebookMl.Training.Tabular;

namespace NotebookMl.Serving.Tests;

/// <summary>
/// A model trained on a feature view, served by a real server: requests that leave its online features out get them from
/// the online store (SQLite, and a real redis-server) by the origin they give, the same values the training set had for that
/// key and time, and null once the view's TTL has passed.
/// </summary>
public sealed class OnlineFeatureTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("redis")]
    public async Task Inputs_left_out_are_the_online_features_the_training_set_had_and_null_after_the_ttl(string backend)
    {
        using var redis = backend == "redis" ? new RedisServer() : null;
        var folder = Directory.CreateTempSubdirectory("notebookml-serving-online-").FullName;
        var workspace = new WorkspaceLocation(folder, Path.Combine(folder, ".notebookml")).EnsureCreated();
        if (redis is not null)
        {
            await File.WriteAllTextAsync(workspace.ConfigFile, $"online_store: redis://{redis.Address}\n");
        }

        var (training, now) = Train(workspace);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, LogFlushInterval = TimeSpan.FromMilliseconds(100) }, _ => { });
        using var client = new ServingClient(server.Address);

        var answers = new Dictionary<string, JsonNode>();
        foreach (var origin in new[] { "SEA", "LAX", "XXX" })
        {
            var body = $$"""{"id": "{{origin}}", "inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [700]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["{{origin}}"]}], "outputs": [{"name": "probability"}]}""";
            var (status, answer) = await client.PostAsync("/v2/models/delays/infer", body);
            Assert.True(status == 200, answer?.ToJsonString());
            answers[origin] = answer!;
        }

        var sea = Row(training, "SEA");
        var (_, sent) = await client.PostAsync("/v2/models/delays/infer", Full("SEA", sea.LateRate, sea.Flights));
        var (_, laxNulls) = await client.PostAsync("/v2/models/delays/infer", Full("LAX", null, null));
        var (_, xxxNulls) = await client.PostAsync("/v2/models/delays/infer", Full("XXX", null, null));
        var (noKey, error) = await client.PostAsync("/v2/models/delays/infer", """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [700]}]}""");
        var logged = await PredictionLogTests.WaitForRowsAsync(workspace.StateFolder, 3, "SELECT request_id, late_rate, flights FROM log WHERE request_id IN ('SEA', 'LAX', 'XXX') ORDER BY request_id");
        var metrics = await client.TextAsync("/metrics");

        // SEA: fresh in the online store, and the value the training set had for SEA at the same time.
        var seaLogged = logged.Single(r => (string?)r[0] == "SEA");
        Assert.Equal(sea.LateRate, Convert.ToDouble(seaLogged[1], CultureInfo.InvariantCulture), 5);
        Assert.Equal(sea.Flights, Convert.ToDouble(seaLogged[2], CultureInfo.InvariantCulture));
        Assert.Equal(Probability(sent!), Probability(answers["SEA"]));
        // LAX: its value is older than the view's one-day TTL (null in the training set too); XXX was never materialized.
        Assert.True(double.IsNaN(Row(training, "LAX").LateRate));
        Assert.All(logged.Where(r => (string?)r[0] != "SEA"), r => Assert.Null(r[1]));
        Assert.Equal(Probability(laxNulls!), Probability(answers["LAX"]));
        Assert.Equal(Probability(xxxNulls!), Probability(answers["XXX"]));
        Assert.NotEqual(Probability(answers["SEA"]), Probability(answers["LAX"]));
        // Each value looked up is counted by what it found: SEA's two are fresh, LAX's are past the one-day TTL (Redis does not keep
        // a row already expired, so there they are missing), XXX's were never materialized. Requests that sent them look up nothing.
        var (hit, expired, missing) = backend == "redis" ? (2, 0, 4) : (2, 2, 2);
        Assert.Contains($"notebookml_online_features_total{{model=\"delays\",outcome=\"hit\"}} {hit}", metrics);
        Assert.Contains($"notebookml_online_features_total{{model=\"delays\",outcome=\"missing\"}} {missing}", metrics);
        Assert.Equal(expired > 0, metrics.Contains($"notebookml_online_features_total{{model=\"delays\",outcome=\"expired\"}} {expired}", StringComparison.Ordinal));
        Assert.Equal(400, noKey);
        Assert.Equal("input 'origin' is missing; delays takes distance (FP32 [-1, 1]), origin (BYTES [-1, 1]), late_rate (FP32 [-1, 1]), flights (FP32 [-1, 1]) (late_rate, flights may be left out: they are looked up in the online store by origin).", (string?)error!["error"]);
        Assert.True(now > DateTime.UtcNow.AddHours(-1));
    }

    [Fact]
    public async Task When_most_values_looked_up_are_past_their_ttl_the_endpoint_says_so_once()
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-serving-online-").FullName;
        var workspace = new WorkspaceLocation(folder, Path.Combine(folder, ".notebookml")).EnsureCreated();
        Train(workspace);
        var lines = new List<string>();
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, line => { lock (lines) { lines.Add(line); } });
        using var client = new ServingClient(server.Address);

        // LAX's row is three days old against a one-day TTL: 60 requests, 120 values, all expired.
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(200, (await client.PostAsync("/v2/models/delays/infer", """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [700]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["LAX"]}]}""")).Status);
        }

        var metrics = await client.TextAsync("/metrics");
        Assert.Contains("notebookml_online_features_total{model=\"delays\",outcome=\"expired\"} 120", metrics);
        lock (lines)
        {
            var warning = Assert.Single(lines, l => l.Contains("online feature values looked up were past their view's TTL", StringComparison.Ordinal));
            Assert.StartsWith("delays: 100 of 100 online feature values looked up were past their view's TTL (last event ", warning);
            Assert.EndsWith("replay with 'features materialize … --as-of'", warning);
        }
    }

    [Fact]
    public async Task With_the_online_store_unreachable_the_model_still_serves_requests_that_send_every_input()
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-serving-online-").FullName;
        var workspace = new WorkspaceLocation(folder, Path.Combine(folder, ".notebookml")).EnsureCreated();
        Train(workspace);
        // A port nothing listens on.
        await File.WriteAllTextAsync(workspace.ConfigFile, "online_store: redis://127.0.0.1:1\n");
        var lines = new List<string>();
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, line => { lock (lines) { lines.Add(line); } });
        using var client = new ServingClient(server.Address);

        var (sent, _) = await client.PostAsync("/v2/models/delays/infer", Full("SEA", 0.2, 50));
        var (left, error) = await client.PostAsync("/v2/models/delays/infer", """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [700]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["SEA"]}]}""");

        Assert.Equal(200, sent);
        Assert.Equal(400, left);
        Assert.StartsWith("input 'late_rate' is missing", (string?)error!["error"]);
        Assert.Contains(lines, l => l.Contains("online features cannot be looked up (online_store redis://127.0.0.1:1: cannot connect", StringComparison.Ordinal));
    }

    /// <summary>A request that sends every input, the online features as given (null: a missing value).</summary>
    private static string Full(string origin, double? lateRate, double? flights)
    {
        static string Number(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
        return $$"""{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [700]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["{{origin}}"]}, {"name": "late_rate", "datatype": "FP32", "shape": [1, 1], "data": [{{Number(lateRate)}}]}, {"name": "flights", "datatype": "FP32", "shape": [1, 1], "data": [{{Number(flights)}}]}], "outputs": [{"name": "probability"}]}""";
    }

    private static float Probability(JsonNode answer) => (float)answer["outputs"]![0]!["data"]![0]!;

    private static (double LateRate, double Flights) Row(DataFrame training, string origin)
    {
        for (long r = 0; r < training.Rows.Count; r++)
        {
            if ((string)training["origin"][r] == origin)
            {
                return (training["late_rate"][r] is { } rate ? Convert.ToDouble(rate, CultureInfo.InvariantCulture) : double.NaN,
                    training["flights"][r] is { } flights ? Convert.ToDouble(flights, CultureInfo.InvariantCulture) : double.NaN);
            }
        }

        throw new InvalidOperationException($"no training row for {origin}");
    }

    /// <summary>
    /// Defines origin_stats (late rate and flights per origin, TTL one day; LAX's row three days old), materializes it, builds a
    /// training set of 3,000 flights with the point-in-time values at the current time, trains, and registers version 1 @champion
    /// with the view as its lineage.
    /// </summary>
    internal static (DataFrame Training, DateTime Now) Train(WorkspaceLocation workspace)
    {
        var now = DateTime.UtcNow;
        var flights = SampleDataset.Flights3m.LoadDataFrame(3000);
        var stats = new Dictionary<string, (int Late, int Count)>(StringComparer.Ordinal);
        for (long r = 0; r < flights.Rows.Count; r++)
        {
            var origin = (string)flights["origin"][r];
            var late = Convert.ToDouble(flights["delay"][r], CultureInfo.InvariantCulture) > 15 ? 1 : 0;
            stats[origin] = stats.TryGetValue(origin, out var s) ? (s.Late + late, s.Count + 1) : (late, 1);
        }

        var source = Path.Combine(workspace.Root, "origin_stats.csv");
        File.WriteAllLines(source, ["origin,event_timestamp,late_rate,flights", .. stats.Select(s =>
            $"{s.Key},{(s.Key == "LAX" ? now.AddDays(-3) : now.AddHours(-1)):yyyy-MM-ddTHH:mm:ss},{((double)s.Value.Late / s.Value.Count).ToString("R", CultureInfo.InvariantCulture)},{s.Value.Count}")]);
        using var store = FeatureStore.Open(workspace);
        store.Apply(new FeatureDefinitions(
            [new Entity("airport", ["origin"])],
            [new FeatureView
            {
                Name = "origin_stats", Entities = ["airport"], Source = source, Ttl = TimeSpan.FromDays(1),
                Features = [new Feature("late_rate", FeatureType.Double), new Feature("flights", FeatureType.Int64)],
            }]));
        store.Materialize(now.AddDays(-30), now);
        var entities = new DataFrame(
            flights["origin"], flights["distance"],
            new PrimitiveDataFrameColumn<DateTime>("event_timestamp", Enumerable.Repeat(now, (int)flights.Rows.Count)),
            new BooleanDataFrameColumn("late", Enumerable.Range(0, (int)flights.Rows.Count).Select(i => (bool?)(Convert.ToDouble(flights["delay"][i], CultureInfo.InvariantCulture) > 15))));
        var training = store.GetHistoricalFeatures(entities, FeatureReference.ParseList("origin_stats:late_rate,origin_stats:flights")).Frame;
        var rows = new DataFrame(training["distance"], training["origin"], training["late_rate"], training["flights"], training["late"]);
        var tracker = Tracker.Open(workspace);
        var trained = TabularTrainer.Train(rows, new TrainingOptions { Label = "late", Tree = new TreeOptions { Trees = 10 }, Threads = 2, Experiment = "online" }, tracker: tracker);
        var registry = ModelRegistry.Open(workspace);
        registry.Register("delays", ModelRegistrations.FromRun(tracker, trained.RunId!) with { FeatureViews = new Dictionary<string, int> { ["origin_stats"] = 1 } });
        registry.SetAlias("delays", "champion", 1);
        return (training, now);
    }
}
