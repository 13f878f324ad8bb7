using NotebookMl.Core.Evaluation;
using NotebookMl.Training.Preprocessing;
using NotebookMl.Training.Tabular;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookMl.Training.Torch;

/// <summary>
/// A multi-layer perceptron for tabular rows (TorchSharp): standardized numbers and one-hot categories
/// in, dense layers with ReLU, a logit (binary, BCE-with-logits) or a value (regression, MSE) out;
/// Adam, seeded initialization and shuffling, checkpoints per epoch, and cancellation between batches.
/// Per epoch it logs <c>train_loss</c> and the validation metric.
/// </summary>
public sealed class MlpLearner : ITabularLearner
{
    /// <inheritdoc/>
    public bool Standardize => true;

    /// <inheritdoc/>
    public CategoricalEncoding Encoding => CategoricalEncoding.OneHot;

    /// <inheritdoc/>
    public LearnedModel Fit(TrainingInput input)
    {
        var o = input.Options.Mlp.Validate();

        var device = TorchDevices.Resolve(o.Device);
        torch.random.manual_seed(input.Options.Seed);
        var sizes = new[] { input.Width }.Concat(o.Hidden).Append(1).ToArray();
        var layers = new List<Linear>();
        var modules = new List<(string, torch.nn.Module<Tensor, Tensor>)>();
        for (var l = 0; l < sizes.Length - 1; l++)
        {
            var linear = nn.Linear(sizes[l], sizes[l + 1]);
            layers.Add(linear);
            modules.Add(($"dense{l}", linear));
            if (l < sizes.Length - 2)
            {
                modules.Add(($"relu{l}", nn.ReLU()));
            }
        }

        var network = nn.Sequential(modules).to(device);
        using var optimizer = optim.Adam(network.parameters(), o.LearningRate);
        using var loss = input.Task == TaskKind.Binary ? (nn.Module<Tensor, Tensor, Tensor>)nn.BCEWithLogitsLoss() : nn.MSELoss();
        var model = new TorchMlpModel(network, layers, device, input.Preprocessor, input.Task, input.Options);
        var curveMetric = input.Task == TaskKind.Binary ? "auc" : "rmse";
        var interrupted = false;
        var random = new Random(input.Options.Seed);
        var order = input.Split.Train.ToArray();
        var curve = new List<(int, double)>();
        var batches = (order.Length + o.BatchSize - 1) / o.BatchSize;
        for (var epoch = 1; epoch <= o.Epochs && !interrupted; epoch++)
        {
            random.Shuffle(order);
            network.train();
            double total = 0;
            var seen = 0;
            for (var b = 0; b < batches; b++)
            {
                if (input.Cancellation.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }

                using var scope = NewDisposeScope();
                var rows = order.AsSpan(b * o.BatchSize, Math.Min(o.BatchSize, order.Length - (b * o.BatchSize)));
                var (x, y) = Batch(input, rows, device);
                optimizer.zero_grad();
                var value = loss.forward(network.forward(x), y);
                value.backward();
                OptimizerSteps.Step(optimizer);
                total += value.item<float>() * rows.Length;
                seen += rows.Length;
                input.Progress?.Report(new TrainingProgress($"epoch {epoch}/{o.Epochs}", 0.1 + (0.7 * ((epoch - 1) + ((b + 1) / (double)batches)) / o.Epochs)));
            }

            if (seen == 0)
            {
                break;
            }

            input.Run?.LogMetric("train_loss", total / seen, epoch);
            var metric = Validate(model, input);
            curve.Add((epoch, metric));
            input.Run?.LogMetric($"valid_{curveMetric}", metric, epoch);
            var done = 0.1 + (0.7 * epoch / o.Epochs);
            input.Progress?.Report(new TrainingProgress($"epoch {epoch}/{o.Epochs}", done, "train_loss", epoch, total / seen));
            input.Progress?.Report(new TrainingProgress($"epoch {epoch}/{o.Epochs}", done, $"valid_{curveMetric}", epoch, metric));
            if (o.CheckpointFolder is { } folder)
            {
                Directory.CreateDirectory(folder);
                network.save(Path.Combine(folder, $"epoch-{epoch}.pt"));
            }
        }

        return new LearnedModel(model, curveMetric, curve, interrupted);
    }

    /// <inheritdoc/>
    public double[] SlotImportance(FittedTabularModel model)
    {
        // The first layer's weights per input slot (inputs are standardized, so magnitudes compare).
        var first = ((MlpGraph)model.Graph).Layers[0];
        var slots = new double[first.Inputs];
        for (var o = 0; o < first.Outputs; o++)
        {
            for (var i = 0; i < first.Inputs; i++)
            {
                slots[i] += Math.Abs(first.Weight[(o * first.Inputs) + i]);
            }
        }

        return slots;
    }

    private static (Tensor X, Tensor Y) Batch(TrainingInput input, ReadOnlySpan<int> rows, Device device)
    {
        var width = input.Width;
        var features = new float[rows.Length * width];
        var labels = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            input.Matrix.AsSpan(rows[i] * width, width).CopyTo(features.AsSpan(i * width));
            labels[i] = (float)input.Label[rows[i]];
        }

        return (torch.tensor(features, [rows.Length, width], device: device), torch.tensor(labels, [rows.Length, 1], device: device));
    }

    private static double Validate(TorchMlpModel model, TrainingInput input)
    {
        var test = input.Split.Test.Take(20_000).ToArray();
        var (score, probability) = model.PredictVectors(input.VectorsOf(test), test.Length);
        var labels = test.Select(r => input.Label[r]).ToArray();
        return input.Task == TaskKind.Binary
            ? BinaryMetrics.Of(labels.Select(v => v > 0.5).ToArray(), probability!).Auc
            : RegressionMetrics.Of(labels, score).Rmse;
    }
}
