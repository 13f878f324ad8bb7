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

/// <summary>Everything <c>#!train</c> / <c>notebookml train</c> and <see cref="TabularTrainer"/> take.</summary>
public sealed record TrainingOptions
{
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
}
