using NotebookMl.Core.Options;

namespace NotebookMl.Training.Tabular;

/// <summary>The learners for tabular data.</summary>
public enum ModelKind
{
    /// <summary>Gradient-boosted trees, ML.NET's LightGBM.</summary>
    LightGbm,

    /// <summary>Gradient-boosted trees, ML.NET's FastTree (MART).</summary>
    FastTree,

    /// <summary>Linear: SDCA logistic regression (binary) or SDCA least squares (regression).</summary>
    Sdca,

    /// <summary>Linear: L-BFGS logistic regression (binary only).</summary>
    Lbfgs,

    /// <summary>A multi-layer perceptron trained with TorchSharp (NotebookMl.Training.Torch's MlpLearner).</summary>
    Mlp,

    /// <summary>A small CNN for 28×28 grayscale images (Fashion-MNIST), TorchSharp (NotebookMl.Training.Torch's ImageTrainer).</summary>
    Cnn,
}

/// <summary>What is predicted.</summary>
public enum TaskKind
{
    /// <summary>A yes/no label: probability and score out.</summary>
    Binary,

    /// <summary>A number.</summary>
    Regression,
}

/// <summary>How rows are split into training and test rows.</summary>
public enum SplitKind
{
    /// <summary>At random (seeded).</summary>
    Random,

    /// <summary>At random within each label value, so both sides have the same positive rate.</summary>
    Stratified,

    /// <summary>By time: the latest rows (by <see cref="TrainingOptions.TimeColumn"/>) are the test rows.</summary>
    Time,
}

/// <summary>
/// Everything <c>#!train</c> / <c>notebookml train</c> and <see cref="TabularTrainer"/> take.
/// <see cref="Validate"/> checks them all before any data is read; a bad one is an
/// <see cref="InvalidOptionException"/> naming the property.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The defaults, for hosts that show them (the train verb's options read theirs here).</summary>
    public static TrainingOptions Defaults { get; } = new() { Label = "" };

    public required string Label { get; init; }

    /// <summary>Feature columns; empty: every column but the label, the time column and those in <see cref="Exclude"/>.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public ModelKind Model { get; init; } = ModelKind.LightGbm;

    /// <summary>Null: binary when the label is boolean or only 0/1, else regression.</summary>
    public TaskKind? Task { get; init; }

    public SplitKind Split { get; init; } = SplitKind.Random;

    public double TestFraction { get; init; } = 0.2;

    /// <summary>With <see cref="SplitKind.Time"/>: the time column; rows at or after <see cref="TestFrom"/> (or the latest <see cref="TestFraction"/>) are test rows.</summary>
    public string? TimeColumn { get; init; }

    public DateTime? TestFrom { get; init; }

    public int Trees { get; init; } = 100;

    public int Leaves { get; init; } = 31;

    /// <summary>Null: 0.1 for trees, 0.001 (Adam) for the MLP.</summary>
    public double? LearningRate { get; init; }

    public int MinRowsPerLeaf { get; init; } = 20;

    /// <summary>Passes over the data for the linear learners.</summary>
    public int Iterations { get; init; } = 20;

    public int Seed { get; init; } = 42;

    /// <summary>Null: all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>MLP: the hidden layers' widths.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64, 32];

    /// <summary>MLP: passes over the training rows.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>MLP: rows per optimizer step.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>MLP: auto (CUDA when there is one), cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>MLP: write the model after every epoch here (<c>epoch-N.pt</c>); null: no checkpoints.</summary>
    public string? CheckpointFolder { get; init; }

    /// <summary>At most this many categories per text feature (the most frequent); null: 100 one-hot (linear, MLP), 10,000 ranked (trees, one slot whatever the count).</summary>
    public int? MaxCategories { get; init; }

    /// <summary>The experiment the run is tracked in; null: not tracked.</summary>
    public string? Experiment { get; init; } = "training";

    public string? RunName { get; init; }

    /// <summary>Where to export the ONNX model (after the parity check); null: into the run's artifacts only.</summary>
    public string? OnnxPath { get; init; }

    /// <summary>The feature views (name → version) the rows came from (<c>HistoricalFeatures.Views</c>), for lineage: tracked and written into the ONNX metadata.</summary>
    public IReadOnlyDictionary<string, int>? FeatureViews { get; init; }

    /// <summary>The model's name in the ONNX metadata.</summary>
    public string ModelName { get; init; } = "model";

    /// <summary>Checks every setting against the others, before any data is read.</summary>
    public TrainingOptions Validate()
    {
        Check(nameof(Label), !string.IsNullOrWhiteSpace(Label), "name the column to predict.");
        Check(nameof(Model), Model != ModelKind.Cnn, "cnn trains on images (ImageTrainer), not on a table.");
        Check(nameof(TestFraction), TestFraction is > 0 and < 1, $"expected a number between 0 and 1, got {TestFraction}.");
        Check(nameof(TimeColumn), Split != SplitKind.Time || !string.IsNullOrWhiteSpace(TimeColumn), "a time split needs the time column's name.");
        Check(nameof(TestFrom), TestFrom is null || Split == SplitKind.Time, "a first test time applies to a time split only.");
        Check(nameof(Trees), Trees >= 1, $"expected at least 1, got {Trees}.");
        Check(nameof(Leaves), Leaves >= 2, $"expected at least 2, got {Leaves}.");
        Check(nameof(LearningRate), LearningRate is null or > 0, $"expected a positive number, got {LearningRate}.");
        Check(nameof(MinRowsPerLeaf), MinRowsPerLeaf >= 1, $"expected at least 1, got {MinRowsPerLeaf}.");
        Check(nameof(Iterations), Iterations >= 1, $"expected at least 1, got {Iterations}.");
        Check(nameof(Threads), Threads is null or >= 1, $"expected at least 1, got {Threads}.");
        Check(nameof(Hidden), Hidden.Count > 0 && Hidden.All(h => h >= 1), $"expected positive layer widths, got '{string.Join(",", Hidden)}'.");
        Check(nameof(Epochs), Epochs >= 1, $"expected at least 1, got {Epochs}.");
        Check(nameof(BatchSize), BatchSize >= 1, $"expected at least 1, got {BatchSize}.");
        Check(nameof(Device), Device is "auto" or "cpu" or "cuda" || (Device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(Device[5..], out var index) && index >= 0), $"'{Device}' is not auto, cpu, cuda or cuda:N.");
        Check(nameof(MaxCategories), MaxCategories is null or >= 1, $"expected at least 1, got {MaxCategories}.");
        Check(nameof(Features), !Features.Contains(Label), $"the label '{Label}' cannot also be a feature.");
        return this;
    }

    private static void Check(string option, bool valid, string reason)
    {
        if (!valid)
        {
            throw new InvalidOptionException(option, reason);
        }
    }
}
