using Microsoft.Data.Analysis;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Tabular;

namespace NotebookMl.Training.Tests;

/// <summary>
/// Every exportable tabular model, trained on real flights: ONNX Runtime's outputs match the in-memory
/// model (the parity gate inside ExportOnnx), and the file passes onnx.checker with full_check.
/// </summary>
public sealed class TabularExportTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("notebookml-training-");

    [Theory]
    [InlineData(ModelKind.LightGbm, TaskKind.Binary)]
    [InlineData(ModelKind.FastTree, TaskKind.Binary)]
    [InlineData(ModelKind.Sdca, TaskKind.Binary)]
    [InlineData(ModelKind.Lbfgs, TaskKind.Binary)]
    [InlineData(ModelKind.LightGbm, TaskKind.Regression)]
    [InlineData(ModelKind.FastTree, TaskKind.Regression)]
    [InlineData(ModelKind.Sdca, TaskKind.Regression)]
    public async Task Exported_models_match_the_in_memory_model_and_pass_the_onnx_checker(ModelKind model, TaskKind task)
    {
        var frame = FlightRows.Sample;
        var options = new TrainingOptions
        {
            Label = task == TaskKind.Binary ? "late" : "delay_minutes", Exclude = ["late", "delay_minutes"], Model = model, Task = task,
            Split = SplitKind.Time, TimeColumn = "date", Tree = new TreeOptions { Trees = 40, Leaves = 16 }, Threads = 2, Experiment = null,
        };

        var trained = TabularTrainer.Train(frame, options);
        var validation = frame[Enumerable.Range(25_000, 3_000)];
        var onnx = trained.ExportOnnx(validation);
        var path = Path.Combine(_folder.FullName, $"{model}-{task}.onnx");
        await File.WriteAllBytesAsync(path, onnx);

        var outputs = task == TaskKind.Binary ? "['score', 'probability', 'label']" : "['prediction']";
        Assert.Equal(
            $"ok 8 [('', 15), ('ai.onnx.ml', 3)] ['input_schema', 'learner', 'model_name', 'preprocessing', 'producer', 'run_id', 'task', 'training_data_sha256'] ['distance', 'origin', 'destination', 'hour', 'weekday'] {outputs}\n",
            await OnnxChecker.CheckAsync(path));
        var (score, probability) = trained.Predict(validation);
        var output = task == TaskKind.Binary ? "probability" : "prediction";
        var fromOnnx = OnnxParity.Run(onnx, validation, output)[output];
        Assert.True(OnnxParity.Largest(fromOnnx, task == TaskKind.Binary ? probability! : score).Difference <= OnnxParity.Tolerance);
        // The raw features are the inputs, in order: numbers as float, categories as text.
        Assert.Equal(["distance", "origin", "destination", "hour", "weekday"], trained.Preprocessor.Encoders.Select(e => e.Name));
        if (task == TaskKind.Binary)
        {
            Assert.InRange(trained.Binary!.Auc, 0.6, 1);
            Assert.Equal(3_000, OnnxParity.Run(onnx, validation, "score")["score"].Length);
        }
        else
        {
            Assert.True(trained.Regression!.Rmse > 0);
        }
    }

    [Fact]
    public void The_parity_gate_refuses_a_model_whose_onnx_outputs_differ()
    {
        var trained = TabularTrainer.Train(FlightRows.Sample, new TrainingOptions { Label = "late", Exclude = ["delay_minutes"], Tree = new TreeOptions { Trees = 10 }, Threads = 2, Experiment = null });
        // Change what the exporter writes (one leaf of the first tree) but not the in-memory model.
        var tree = ((TreeGraph)trained.Graph).Trees[0];
        tree.Leaves[0] += 0.5;

        var error = Assert.Throws<OnnxParityException>(() => trained.ExportOnnx(FlightRows.Sample[Enumerable.Range(0, 2_000)]));

        Assert.StartsWith("ONNX export refused: ONNX Runtime's 'probability' differs from the in-memory model by", error.Message);
    }

    [Fact]
    public void Training_is_tracked_with_params_curve_metrics_dataset_digest_and_models()
    {
        var workspace = new WorkspaceLocation(_folder.FullName, Path.Combine(_folder.FullName, WorkspaceLocation.StateFolderName)).EnsureCreated();
        var tracker = Tracker.Open(workspace);
        var onnxPath = Path.Combine(_folder.FullName, "out", "late.onnx");

        var trained = TabularTrainer.Train(FlightRows.Sample, new TrainingOptions { Label = "late", Exclude = ["delay_minutes"], Tree = new TreeOptions { Trees = 30 }, Threads = 2, Experiment = "delays", RunName = "lgbm", OnnxPath = onnxPath, FeatureViews = new Dictionary<string, int> { ["origin_hourly"] = 3 } }, tracker: tracker);

        var run = tracker.GetRun(trained.RunId!);
        Assert.Equal("FINISHED", run.Summary.Status.ToString().ToUpperInvariant());
        Assert.Equal("lightgbm", run.Summary.Params["model"]);
        Assert.Equal("30", run.Summary.Params["trees"]);
        Assert.Equal(trained.Binary!.Auc, run.Summary.Metrics["test_auc"], 9);
        var curve = tracker.MetricHistory(trained.RunId!, "valid_auc");
        Assert.Equal(30, curve.Count);
        Assert.True(curve[^1].Value > curve[0].Value);
        Assert.Contains(run.Inputs, i => i.Digest == trained.TrainingDigest && i.Digest.Length == 64);
        Assert.Contains(run.Inputs, i => i.Name == "feature_views/origin_hourly" && i.Digest == "v3");
        Assert.Equal("origin_hourly:v3", run.Summary.Params["feature_views"]);
        Assert.Equal(File.ReadAllBytes(onnxPath), tracker.ReadArtifact(trained.RunId!, "model/model.onnx"));
        Assert.NotEmpty(tracker.ReadArtifact(trained.RunId!, "model/model.zip"));
        Assert.Contains("\"auc\"", System.Text.Encoding.UTF8.GetString(tracker.ReadArtifact(trained.RunId!, "metrics.json")));
    }

    [Fact]
    public void Bad_options_are_one_clear_error()
    {
        var frame = FlightRows.Sample;
        // The API names the option by its property; hosts show it as their flag.
        Assert.StartsWith("Label: no column 'nope'; columns: date, distance",
            Assert.Throws<NotebookMl.Core.Options.InvalidOptionException>(() => TabularTrainer.Train(frame, new TrainingOptions { Label = "nope", Experiment = null })).Message);
        Assert.Equal("Label: column 'delay_minutes' has values other than 0/1 or true/false; a binary model needs a yes/no label (or train a regression).",
            Assert.Throws<NotebookMl.Core.Options.InvalidOptionException>(() => TabularTrainer.Train(frame, new TrainingOptions { Label = "delay_minutes", Task = TaskKind.Binary, Experiment = null })).Message);
        Assert.Equal("Model: lbfgs does not do regression; use lightgbm, fasttree or sdca.",
            Assert.Throws<NotebookMl.Core.Options.InvalidOptionException>(() => TabularTrainer.Train(frame, new TrainingOptions { Label = "delay_minutes", Exclude = ["late"], Model = ModelKind.Lbfgs, Experiment = null })).Message);
        Assert.Equal("TimeColumn: a time split needs the time column's name.",
            Assert.Throws<NotebookMl.Core.Options.InvalidOptionException>(() => TabularTrainer.Train(frame, new TrainingOptions { Label = "late", Split = SplitKind.Time, Experiment = null })).Message);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
