using NotebookMl.Core.Registry;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Training.Registration;
using NotebookMl.Training.Tabular;
using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Training.Reference;

namespace NotebookMl.Training.Tests.Registry;

/// <summary>Registering trained runs, the ONNX gate with real ONNX Runtime, and loading a registered model to predict in-process.</summary>
public sealed class RegisteredModelTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("notebookml-registered-");

    private WorkspaceLocation Workspace => new WorkspaceLocation(_folder.FullName, Path.Combine(_folder.FullName, WorkspaceLocation.StateFolderName)).EnsureCreated();

    [Fact]
    public void A_run_registers_with_its_signature_and_reference_and_the_champion_predicts_in_process_as_the_trained_model_does()
    {
        var (trained, registry, version) = TrainAndRegister("late", trees: 20);

        var promoted = registry.Promote("delays", version.Version, "champion", new PromotionPolicy(["test_auc>=0.55"]), "first");
        using var model = registry.Load(ModelUri.Parse("models:/delays@champion"));
        var rows = FlightRows.Sample[Enumerable.Range(25_000, 500)];
        var predicted = model.Predict(rows, "probability");

        Assert.True(promoted.Promoted, string.Join("; ", promoted.Gates.Select(g => $"{g.Gate}: {g.Value}")));
        Assert.Equal(OnnxReproductionGate.Name, promoted.Gates[1].Gate);
        Assert.Equal("models:/delays/1", model.Uri);
        Assert.Equal(["distance", "origin", "destination", "hour", "weekday"], version.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(["score", "probability", "label"], model.Signature.Outputs.Select(o => o.Name));
        var expected = trained.Predictions(rows)["probability"];
        var actual = (Microsoft.Data.Analysis.SingleDataFrameColumn)predicted.Columns["probability"];
        Assert.All(Enumerable.Range(0, 500), r => Assert.Equal(expected[r], actual[r]!.Value, 1e-5f));

        var reference = registry.ReadReference(version)!;
        Assert.Equal(trained.Rows.Train, reference.Rows);
        Assert.Equal(["distance", "origin", "destination", "hour", "weekday"], reference.Inputs.Select(c => c.Name));
        Assert.All(reference.Inputs, c => Assert.Equal(trained.Rows.Train, c.Count + c.Nulls));
        Assert.NotNull(reference.Inputs.Single(c => c.Name == "origin").Categorical);
        Assert.Equal("probability", Assert.Single(reference.Predictions).Name);
        Assert.Equal(ReferenceData.SampleRows, registry.ReadSample(version)!.Rows);
    }

    [Fact]
    public void The_onnx_gate_refuses_an_artifact_that_does_not_reproduce_the_recorded_predictions()
    {
        var (_, registry, first) = TrainAndRegister("late", trees: 20);
        var other = TabularTrainer.Train(FlightRows.Sample, Options(trees: 3, seed: 7), tracker: Tracker.Open(Workspace));
        var otherRegistration = ModelRegistrations.FromRun(Tracker.Open(Workspace), other.RunId!);
        // The second model's artifact, with the first model's recorded predictions.
        var mismatched = registry.Register("delays", otherRegistration with { Sample = registry.ReadSample(first) });

        var result = registry.Promote("delays", mismatched.Version, "champion");

        Assert.False(result.Promoted);
        var gate = Assert.Single(result.Gates);
        Assert.False(gate.Passed);
        Assert.StartsWith("largest difference ", gate.Value);
        Assert.Null(registry.AliasVersion("delays", "champion"));
    }

    [Fact]
    public void An_onnx_file_registered_with_reference_rows_profiles_them_and_records_its_own_predictions()
    {
        var trained = TabularTrainer.Train(FlightRows.Sample, Options(trees: 5) with { Experiment = null });
        var onnx = trained.ExportOnnx(FlightRows.Sample[Enumerable.Range(0, 1_000)]);
        var registry = ModelRegistry.Open(Workspace);

        var version = registry.Register("from-file", ModelRegistrations.FromOnnx(onnx, FlightRows.Sample[Enumerable.Range(0, 3_000)]));
        var plain = registry.Register("from-file", ModelRegistrations.FromOnnx(onnx));

        Assert.Equal(3_000, registry.ReadReference(version)!.Rows);
        Assert.True(registry.Promote("from-file", version.Version, "champion").Promoted);
        var refused = registry.Promote("from-file", plain.Version, "staging");
        Assert.Equal("models:/from-file/2 has no prediction sample recorded at registration (register it from a run, or with --reference FILE)", Assert.Single(refused.Gates).Value);
        Assert.StartsWith("the file is not an ONNX model ONNX Runtime can load:", Assert.Throws<InvalidDataException>(() => ModelRegistrations.FromOnnx([1, 2, 3], describe: "the file")).Message);
    }

    private (TrainedTabularModel Trained, ModelRegistry Registry, ModelVersion Version) TrainAndRegister(string label, int trees)
    {
        var tracker = Tracker.Open(Workspace);
        var trained = TabularTrainer.Train(FlightRows.Sample, Options(trees) with { Label = label }, tracker: tracker);
        var registry = ModelRegistry.Open(Workspace);
        return (trained, registry, registry.Register("delays", ModelRegistrations.FromRun(tracker, trained.RunId!)));
    }

    private static TrainingOptions Options(int trees, int seed = 1) =>
        new() { Label = "late", Exclude = ["delay_minutes", "date"], Tree = new TreeOptions { Trees = trees }, Threads = 2, Seed = seed, Experiment = "delays" };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
