using NotebookMl.Core.Tracking;
using NotebookMl.Core.Evaluation;
using NotebookMl.Training.Tabular;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookMl.Training.Torch.Images;

/// <summary>
/// Trains <see cref="ConvNet"/> on an image set (cross-entropy, Adam, seeded): per epoch it logs
/// <c>train_loss</c> and <c>valid_accuracy</c>, writes a checkpoint when asked, and stops between
/// batches when cancelled (the model so far is kept, evaluated, exported; the run is marked KILLED).
/// </summary>
public static class ImageTrainer
{
    public static TrainedConvNet Train(ImageSet train, ImageSet test, ImageTrainingOptions options, IProgress<TrainingProgress>? progress = null, Tracker? tracker = null, CancellationToken cancellation = default, string? datasetDigest = null)
    {
        options = options.Validate();
        var device = TorchDevices.Resolve(options.Device);
        train = options.TrainLimit is { } trainLimit ? train.Take(trainLimit) : train;
        test = options.TestLimit is { } testLimit ? test.Take(testLimit) : test;
        torch.random.manual_seed(options.Seed);
        var network = new ConvNet(train.Classes.Count, train.Height, train.Width);
        network.to(device);

        using var run = options.Experiment is null ? null : (tracker ?? Tracker.ForCurrentWorkspace()).StartRun(options.Experiment, options.RunName);
        try
        {
            run?.LogParams(new Dictionary<string, object?>
            {
                ["model"] = "cnn", ["task"] = "multiclass", ["epochs"] = options.Epochs, ["batch_size"] = options.BatchSize, ["learning_rate"] = options.LearningRate,
                ["seed"] = options.Seed, ["device"] = options.Device, ["rows_train"] = train.Count, ["rows_test"] = test.Count,
            });
            if (datasetDigest is not null)
            {
                run?.LogInput(new DatasetInput("fashion-mnist", datasetDigest, FashionMnist.DefaultFolder, "image uint8[28,28], label uint8", "training"));
            }

            var (curve, interrupted) = Fit(network, train, test, options, device, progress, run, cancellation);
            progress?.Report(new TrainingProgress("evaluating", 0.9));
            var metrics = MulticlassMetrics.Of(test.Labels, TrainedConvNet.Probabilities(network, device, test, train.Classes.Count), train.Classes.Count);
            var model = new TrainedConvNet(network, device, train, options, metrics, curve, interrupted, run?.Id, datasetDigest ?? string.Empty);
            TrainingRuns.Finish(run, model.Metrics.Values, model.Interrupted, r => Artifacts(r, model, test), progress);
            return model;
        }
        catch (Exception e) when (run is not null)
        {
            run.Fail(e);
            throw;
        }
    }

    private static (IReadOnlyList<(int Epoch, double Accuracy)> Curve, bool Interrupted) Fit(ConvNet network, ImageSet train, ImageSet test, ImageTrainingOptions options, Device device, IProgress<TrainingProgress>? progress, TrackedRun? run, CancellationToken cancellation)
    {
        using var optimizer = optim.Adam(network.parameters(), options.LearningRate);
        using var loss = nn.CrossEntropyLoss();
        var order = Enumerable.Range(0, train.Count).ToArray();
        var random = new Random(options.Seed);
        var size = train.Height * train.Width;
        var batches = (order.Length + options.BatchSize - 1) / options.BatchSize;
        var curve = new List<(int, double)>();
        var interrupted = false;
        for (var epoch = 1; epoch <= options.Epochs && !interrupted; epoch++)
        {
            random.Shuffle(order);
            network.train();
            double total = 0;
            var seen = 0;
            for (var b = 0; b < batches; b++)
            {
                if (cancellation.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }

                using var scope = NewDisposeScope();
                var rows = order.AsSpan(b * options.BatchSize, Math.Min(options.BatchSize, order.Length - (b * options.BatchSize)));
                var pixels = new byte[rows.Length * size];
                var labels = new long[rows.Length];
                for (var i = 0; i < rows.Length; i++)
                {
                    train.Pixels.AsSpan(rows[i] * size, size).CopyTo(pixels.AsSpan(i * size));
                    labels[i] = train.Labels[rows[i]];
                }

                var x = torch.tensor(pixels, [rows.Length, 1, train.Height, train.Width], device: device).to_type(ScalarType.Float32);
                optimizer.zero_grad();
                var value = loss.forward(network.forward(x), torch.tensor(labels, device: device));
                value.backward();
                OptimizerSteps.Step(optimizer);
                total += value.item<float>() * rows.Length;
                seen += rows.Length;
                progress?.Report(new TrainingProgress($"epoch {epoch}/{options.Epochs}", 0.05 + (0.85 * ((epoch - 1) + ((b + 1) / (double)batches)) / options.Epochs)));
            }

            if (seen == 0)
            {
                break;
            }

            var accuracy = MulticlassMetrics.Of(test.Labels, TrainedConvNet.Probabilities(network, device, test, train.Classes.Count), train.Classes.Count).Accuracy;
            curve.Add((epoch, accuracy));
            run?.LogMetric("train_loss", total / seen, epoch);
            run?.LogMetric("valid_accuracy", accuracy, epoch);
            var done = 0.05 + (0.85 * epoch / options.Epochs);
            progress?.Report(new TrainingProgress($"epoch {epoch}/{options.Epochs}", done, "train_loss", epoch, total / seen));
            progress?.Report(new TrainingProgress($"epoch {epoch}/{options.Epochs}", done, "valid_accuracy", epoch, accuracy));
            if (options.CheckpointFolder is { } folder)
            {
                Directory.CreateDirectory(folder);
                network.save(Path.Combine(folder, $"epoch-{epoch}.pt"));
            }
        }

        return (curve, interrupted);
    }

    private static void Artifacts(TrackedRun run, TrainedConvNet model, ImageSet test)
    {
        var folder = Directory.CreateTempSubdirectory("notebookml-cnn-");
        try
        {
            var weights = Path.Combine(folder.FullName, "model.pt");
            model.Network.save(weights);
            run.LogArtifact(weights, "model/model.pt");
            TrainingRuns.LogOnnx(run, model.ExportOnnx(test.Take(500)), model.Options.OnnxPath);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
