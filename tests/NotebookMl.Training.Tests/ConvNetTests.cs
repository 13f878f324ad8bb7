using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Training.Torch.Images;

namespace NotebookMl.Training.Tests;

/// <summary>The CNN on Fashion-MNIST (Debian's dataset-fashion-mnist idx files) on CPU: learns, exports with parity, passes the checker, is tracked.</summary>
public sealed class ConvNetTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("notebookml-cnn-");

    [Fact]
    public void The_idx_files_hold_60000_training_and_10000_test_images_of_28_by_28()
    {
        var train = FashionMnist.Train();
        var test = FashionMnist.Test();

        Assert.Equal((60_000, 10_000, 28, 28), (train.Count, test.Count, train.Height, train.Width));
        Assert.Equal(60_000 * 28 * 28, train.Pixels.Length);
        Assert.Equal(Enumerable.Range(0, 10).Select(c => (byte)c), train.Labels.Distinct().Order());
    }

    [Fact]
    public async Task The_cnn_learns_on_cpu_exports_with_parity_passes_the_checker_and_is_tracked()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder.FullName, Path.Combine(_folder.FullName, WorkspaceLocation.StateFolderName)).EnsureCreated());
        var onnxPath = Path.Combine(_folder.FullName, "cnn.onnx");
        var options = new ImageTrainingOptions { Epochs = 2, TrainLimit = 6_000, TestLimit = 1_000, Device = "cpu", Experiment = "fashion", OnnxPath = onnxPath, CheckpointFolder = Path.Combine(_folder.FullName, "checkpoints") };

        var trained = ImageTrainer.Train(FashionMnist.Train(), FashionMnist.Test(), options, tracker: tracker, datasetDigest: FashionMnist.Digest());

        // Ten classes: chance is 0.1; two short epochs on 6,000 images reach well above 0.6.
        Assert.InRange(trained.Metrics!.Accuracy, 0.6, 1);
        Assert.Equal([1, 2], trained.Curve.Select(c => c.Epoch));
        Assert.Equal(["epoch-1.pt", "epoch-2.pt"], Directory.GetFiles(options.CheckpointFolder!).Select(Path.GetFileName).Order());
        Assert.Equal(
            "ok 8 [('', 15), ('ai.onnx.ml', 3)] ['classes', 'input_schema', 'learner', 'model_name', 'producer', 'run_id', 'task', 'training_data_sha256'] ['image'] ['probabilities', 'label']\n",
            await OnnxChecker.CheckAsync(onnxPath));
        var run = tracker.GetRun(trained.RunId!);
        Assert.Equal(TrackedRunStatus.Finished, run.Summary.Status);
        Assert.Equal(trained.Metrics.Accuracy, run.Summary.Metrics["test_accuracy"], 9);
        Assert.Equal(2, tracker.MetricHistory(trained.RunId!, "valid_accuracy").Count);
        Assert.Contains(run.Inputs, i => i.Name == "fashion-mnist" && i.Digest.Length == 64);
        Assert.Equal(File.ReadAllBytes(onnxPath), tracker.ReadArtifact(trained.RunId!, "model/model.onnx"));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
