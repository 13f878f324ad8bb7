using NotebookMl.Core.Options;

namespace NotebookMl.Training.Torch.Images;

/// <summary>Options of <see cref="ImageTrainer"/> (the train verb's <c>--model cnn</c>).</summary>
public sealed record ImageTrainingOptions
{
    public int Epochs { get; init; } = 2;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 0.001;

    public int Seed { get; init; } = 42;

    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Train on at most this many images (null: all).</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Test on at most this many images (null: all).</summary>
    public int? TestLimit { get; init; }

    public string? CheckpointFolder { get; init; }

    /// <summary>The experiment the run is tracked in; null: not tracked.</summary>
    public string? Experiment { get; init; } = "training";

    public string? RunName { get; init; }

    public string? OnnxPath { get; init; }

    public string ModelName { get; init; } = "fashion-mnist-cnn";

    /// <summary>Checks every setting before any image is read (the device's availability is checked when it is resolved).</summary>
    public ImageTrainingOptions Validate()
    {
        OptionChecks.Check(nameof(Epochs), Epochs >= 1, $"expected at least 1, got {Epochs}.");
        OptionChecks.Check(nameof(BatchSize), BatchSize >= 1, $"expected at least 1, got {BatchSize}.");
        OptionChecks.Check(nameof(LearningRate), LearningRate is > 0 and < 10 && double.IsFinite(LearningRate), $"expected a number above 0 (e.g. 0.001), got {LearningRate}.");
        OptionChecks.Check(nameof(TrainLimit), TrainLimit is null or >= 1, $"expected at least 1 image, got {TrainLimit}.");
        OptionChecks.Check(nameof(TestLimit), TestLimit is null or >= 1, $"expected at least 1 image, got {TestLimit}.");
        OptionChecks.Device(nameof(Device), Device);
        OptionChecks.Check(nameof(ModelName), !string.IsNullOrWhiteSpace(ModelName), "name the model (it goes into the ONNX metadata).");
        return this;
    }
}
