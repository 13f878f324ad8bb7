using System.Globalization;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Features;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Training.Registration;
using NotebookMl.Training.Tabular;

namespace NotebookMl.Training.Tests;

/// <summary>Lineage names the feature views whose columns a model takes, and no others, from a real point-in-time join.</summary>
public sealed class LineageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-lineage-").FullName;

    [Fact]
    public void A_model_trained_without_a_views_columns_does_not_claim_the_view()
    {
        var workspace = new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")).EnsureCreated();
        var flights = FlightRows.Load(2000);
        var origins = Enumerable.Range(0, (int)flights.Rows.Count).Select(r => (string)flights["origin"][r]).Distinct().ToArray();
        var source = Path.Combine(_folder, "origin_stats.csv");
        File.WriteAllLines(source, ["origin,event_timestamp,late_rate", .. origins.Select((o, i) => string.Create(CultureInfo.InvariantCulture, $"{o},2000-12-31T00:00:00,{i % 10 / 10.0}"))]);
        using var store = FeatureStore.Open(workspace);
        store.Apply(new FeatureDefinitions(
            [new Entity("airport", ["origin"])],
            [new FeatureView { Name = "origin_stats", Entities = ["airport"], Source = source, Features = [new Feature("late_rate", FeatureType.Double)] }]));
        var historical = store.GetHistoricalFeatures(flights, FeatureReference.ParseList("origin_stats:late_rate"), "date");
        var tracker = Tracker.Open(workspace);
        var common = new TrainingOptions { Label = "late", Exclude = ["delay_minutes"], Tree = new TreeOptions { Trees = 5 }, Threads = 2, Experiment = "lineage", FeatureViews = historical.Views };

        var raw = TabularTrainer.Train(historical.Frame, common with { Exclude = ["delay_minutes", "late_rate"], RunName = "raw" }, tracker: tracker);
        var featured = TabularTrainer.Train(historical.Frame, common with { RunName = "features" }, tracker: tracker);

        Assert.Equal(["late_rate"], historical.Views.ColumnsOf("origin_stats"));
        Assert.Empty(ModelRegistrations.FromRun(tracker, raw.RunId!).FeatureViews);
        Assert.False(tracker.GetRun(raw.RunId!).Summary.Params.ContainsKey("feature_views"));
        Assert.Equal(new Dictionary<string, int> { ["origin_stats"] = 1 }, ModelRegistrations.FromRun(tracker, featured.RunId!).FeatureViews);
        Assert.Equal("origin_stats:v1", tracker.GetRun(featured.RunId!).Summary.Params["feature_views"]);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
