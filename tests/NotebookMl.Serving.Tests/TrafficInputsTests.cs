using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Datasets;
using NotebookMl.Core.Features;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Serving.Hosting;
using NotebookMl.Training.Registration;
using NotebookMl.Training.Tabular;
using NotebookMl.Core.Registry.Traffic;

namespace NotebookMl.Serving.Tests;

/// <summary>
/// Versions that take other inputs than the served one, against a real server: a shadow or canary gets the request as the
/// caller sent it, projected onto its own signature, with the online features of its own lineage; what cannot be supplied
/// is refused before any endpoint follows it, and a canary that fails says so.
/// </summary>
public sealed class TrafficInputsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-traffic-inputs-").FullName;

    [Fact]
    public async Task A_shadow_that_takes_other_inputs_answers_every_mirror_as_its_own_endpoint_would()
    {
        var (workspace, registry) = Workspace();
        // Served: version 1, with online features; shadow: version 2, raw columns only.
        registry.SetAlias("delays", "challenger", 2);
        registry.SetShadow("delays", "challenger");
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0, LogFlushInterval = TimeSpan.FromMilliseconds(50) }, _ => { });
        using var client = new ServingClient(server.Address);
        var bodies = Bodies(20);
        foreach (var body in bodies)
        {
            Assert.Equal(200, (await client.PostAsync("/v2/models/delays/infer", body)).Status);
        }

        var report = await WaitForShadowAsync(workspace, 20);
        var direct = new List<float>();
        foreach (var body in bodies)
        {
            direct.Add((float)(await client.PostAsync("/v2/models/delays/versions/2/infer", body)).Body!["outputs"]!.AsArray().Single(o => (string?)o!["name"] == "probability")!["data"]![0]!);
        }

        var shadowed = await PredictionLogTests.WaitForRowsAsync(workspace.StateFolder, 20, "SELECT probability FROM log WHERE route = 'shadow' ORDER BY CAST(request_id AS VARCHAR)");

        Assert.Equal((20L, 0L), (report.Pairs, report.Failed));
        Assert.Equal([2], report.ShadowVersions);
        // The shadow's answers are exactly what version 2 answers the same requests.
        Assert.Equal(direct.OrderBy(d => d), shadowed.Select(r => (float)Convert.ToDouble(r[0], CultureInfo.InvariantCulture)).OrderBy(d => d));
    }

    [Fact]
    public async Task A_canary_with_online_features_of_its_own_looks_them_up_and_answers_every_request()
    {
        var (workspace, registry) = Workspace();
        // Served: version 2 (raw columns); canary: version 1, which looks up late_rate and flights itself.
        registry.SetAlias("delays", "champion", 2);
        registry.SetAlias("delays", "features", 1);
        registry.SetCanary("delays", "features", 100);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { });
        using var client = new ServingClient(server.Address);

        var answers = new List<(int Status, JsonNode? Body)>();
        var direct = new List<(int Status, JsonNode? Body)>();
        foreach (var body in Bodies(10))
        {
            answers.Add(await client.PostAsync("/v2/models/delays/infer", body));
            direct.Add(await client.PostAsync("/v2/models/delays/versions/1/infer", body));
        }

        Assert.All(answers, a => Assert.Equal((200, "1"), (a.Status, (string?)a.Body!["model_version"])));
        Assert.Equal(direct.Select(d => d.Body!["outputs"]!.ToJsonString()), answers.Select(a => a.Body!["outputs"]!.ToJsonString()));
    }

    [Fact]
    public async Task A_version_whose_inputs_requests_cannot_supply_is_refused_and_a_canary_that_fails_says_which_version()
    {
        var (workspace, registry) = Workspace();
        // Version 3: version 1's model, registered without its lineage: nothing looks up late_rate and flights for it.
        var lost = registry.Register("delays", new ModelRegistration(registry.ReadOnnx(registry.GetVersion("delays", 1))) { Signature = registry.GetVersion("delays", 1).Signature });
        registry.SetAlias("delays", "champion", 2);
        registry.SetAlias("delays", "lost", lost.Version);
        using var store = FeatureStore.Open(workspace);
        var (raw, features) = (registry.GetVersion("delays", 2), registry.GetVersion("delays", 1));

        Assert.Empty(TrafficInputs.Unsupplied(raw, features, () => store));
        Assert.Empty(TrafficInputs.Unsupplied(features, raw, () => store));
        Assert.Equal(["late_rate (FP32)", "flights (FP32)"], TrafficInputs.Unsupplied(raw, lost, () => store));
        Assert.Equal("models:/delays/3 cannot be the canary of models:/delays/2: requests to models:/delays/2 do not supply its inputs late_rate (FP32), flights (FP32).",
            Assert.Throws<ArgumentException>(() => TrafficInputs.Check(raw, lost, "canary", () => store)).Message);

        // Set anyway (bypassing the check): the canary's failures name it.
        registry.SetCanary("delays", "lost", 100);
        await using var server = await ServingHost.StartAsync(workspace, new ServingOptions { Port = 0 }, _ => { });
        using var client = new ServingClient(server.Address);
        var (status, error) = await client.PostAsync("/v2/models/delays/infer", Bodies(1)[0]);

        Assert.Equal(400, status);
        Assert.StartsWith("canary version 3 of 'delays' failed: input 'late_rate' is missing", (string?)error!["error"]);

        // As a shadow, its failures are counted with their reason, and callers get their answers.
        registry.ClearCanary("delays");
        registry.SetShadow("delays", "lost");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (string?)(await client.GetAsync("/v2/models/delays")).Body!["parameters"]!["shadow"]?["alias"] != "lost"; await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "the endpoint did not follow the shadow");
        }

        foreach (var body in Bodies(5))
        {
            Assert.Equal(200, (await client.PostAsync("/v2/models/delays/infer", body)).Status);
        }

        var report = await WaitForShadowAsync(workspace, 5);
        Assert.Equal((0L, 5L), (report.Pairs, report.Failed));
        var failure = Assert.Single(report.Failures);
        Assert.Equal((3, 5L), (failure.Version, failure.Requests));
        Assert.StartsWith("input 'late_rate' is missing", failure.Reason);
    }

    /// <summary>Version 1: trained on the origin_stats view (online features); version 2: raw columns, no lineage.</summary>
    private (WorkspaceLocation Workspace, ModelRegistry Registry) Workspace()
    {
        var workspace = new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")).EnsureCreated();
        OnlineFeatureTests.Train(workspace);
        var flights = SampleDataset.Flights3m.LoadDataFrame(3000);
        var rows = new DataFrame(flights["distance"], flights["origin"],
            new BooleanDataFrameColumn("late", Enumerable.Range(0, (int)flights.Rows.Count).Select(i => (bool?)(Convert.ToDouble(flights["delay"][i], CultureInfo.InvariantCulture) > 15))));
        var tracker = Tracker.Open(workspace);
        var trained = TabularTrainer.Train(rows, new TrainingOptions { Label = "late", Tree = new TreeOptions { Trees = 10 }, Threads = 2, Experiment = "raw" }, tracker: tracker);
        var registry = ModelRegistry.Open(workspace);
        registry.Register("delays", ModelRegistrations.FromRun(tracker, trained.RunId!));
        return (workspace, registry);
    }

    /// <summary>Requests as a caller of the served model sends them: distance and origin only.</summary>
    private static string[] Bodies(int count) =>
        Enumerable.Range(0, count).Select(i => $$"""{"id": "r{{i:00}}", "inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [{{300 + (i * 97)}}]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["{{new[] { "SEA", "ORD", "LAX", "XXX" }[i % 4]}}"]}], "outputs": [{"name": "probability"}]}""").ToArray();

    private static async Task<ShadowReport> WaitForShadowAsync(WorkspaceLocation workspace, long pairs)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            var report = ShadowReport.Compute(workspace, "delays", ["probability"]);
            if (report.Pairs + report.Failed >= pairs)
            {
                return report;
            }
        }

        throw new TimeoutException($"fewer than {pairs} shadow answers within 30 s");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
