using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Tabular;
using NotebookMl.Training.Torch;

namespace NotebookMl.Training.Tests;

/// <summary>The TorchSharp MLP on CPU (the build's libstdc++ fix makes TorchSharp load on Debian 12): parity, seeds, checkpoints, interrupt, tracking.</summary>
public sealed class MlpTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("notebookml-mlp-");

    [Theory]
    [InlineData(TaskKind.Binary)]
    [InlineData(TaskKind.Regression)]
    public async Task The_mlp_trains_on_cpu_and_its_onnx_export_matches_and_passes_the_checker(TaskKind task)
    {
        var options = Options(task, checkpoints: Path.Combine(_folder.FullName, "checkpoints"));

        var trained = TabularTrainer.Train(FlightRows.Sample, options, new MlpLearner());
        var onnx = trained.ExportOnnx(FlightRows.Sample[Enumerable.Range(25_000, 3_000)]);
        var path = Path.Combine(_folder.FullName, $"mlp-{task}.onnx");
        await File.WriteAllBytesAsync(path, onnx);

        Assert.StartsWith("ok 8", await OnnxChecker.CheckAsync(path));
        Assert.Equal([1, 2, 3], trained.Curve.Select(c => c.Step));
        Assert.Equal(["epoch-1.pt", "epoch-2.pt", "epoch-3.pt"], Directory.GetFiles(options.Mlp.CheckpointFolder!).Select(Path.GetFileName).Order());
        if (task == TaskKind.Binary)
        {
            Assert.InRange(trained.Binary!.Auc, 0.6, 1);
        }
        else
        {
            Assert.InRange(trained.Regression!.Rmse, 1, 100);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_model_and_another_seed_another()
    {
        var options = Options(TaskKind.Binary, epochs: 1);
        var sample = FlightRows.Sample[Enumerable.Range(0, 500)];

        var first = TabularTrainer.Train(FlightRows.Sample, options, new MlpLearner()).Predict(sample).Probability!;
        var second = TabularTrainer.Train(FlightRows.Sample, options, new MlpLearner()).Predict(sample).Probability!;
        var other = TabularTrainer.Train(FlightRows.Sample, options with { Seed = 7 }, new MlpLearner()).Predict(sample).Probability!;

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void An_interrupt_stops_between_batches_keeps_the_model_so_far_and_marks_the_run()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder.FullName, Path.Combine(_folder.FullName, WorkspaceLocation.StateFolderName)).EnsureCreated());
        using var interrupt = new CancellationTokenSource();
        // Ctrl-C arrives during the second epoch.
        var progress = new Reporter(p =>
        {
            if (p.Stage == "epoch 2/3")
            {
                interrupt.Cancel();
            }
        });

        var trained = TabularTrainer.Train(FlightRows.Sample, Options(TaskKind.Binary) with { Experiment = "mlp" }, new MlpLearner(), progress, tracker, interrupt.Token);

        Assert.True(trained.Interrupted);
        // Epoch 2 stopped after its first batch: it is evaluated as the model so far, and epoch 3 never starts.
        Assert.Equal([1, 2], trained.Curve.Select(c => c.Step));
        var run = tracker.GetRun(trained.RunId!);
        Assert.Equal(TrackedRunStatus.Killed, run.Summary.Status);
        Assert.Equal("true", run.Summary.Tags["interrupted"]);
        Assert.Contains(run.Artifacts, a => a.Path == "model/model.onnx");
        Assert.Contains(run.Artifacts, a => a.Path == "model/model.pt");
        Assert.Equal(2, tracker.MetricHistory(trained.RunId!, "train_loss").Count);
    }

    [Fact]
    public void Cuda_on_a_cpu_build_is_a_clear_error()
    {
        var error = Assert.Throws<NotebookMl.Core.Options.InvalidOptionException>(() => TabularTrainer.Train(FlightRows.Sample, Options(TaskKind.Binary, device: "cuda:0"), new MlpLearner()));

        Assert.Equal("Device", error.Option);
        Assert.StartsWith("Device: cuda:0: no CUDA device here", error.Message);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static TrainingOptions Options(TaskKind task, int epochs = 3, string device = "cpu", string? checkpoints = null) => new()
    {
        Label = task == TaskKind.Binary ? "late" : "delay_minutes", Exclude = ["late", "delay_minutes"], Model = ModelKind.Mlp, Task = task,
        Split = SplitKind.Time, TimeColumn = "date", Mlp = new MlpOptions { Epochs = epochs, BatchSize = 256, Hidden = [32, 16], Device = device, CheckpointFolder = checkpoints }, Experiment = null,
    };

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
