using NotebookMl.Core.Options;

namespace NotebookMl.Training.Tabular;

/// <summary>Gradient-boosted trees (LightGBM, FastTree): <see cref="TrainingOptions.Tree"/>.</summary>
public sealed record TreeOptions
{
    /// <summary>Boosting rounds.</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; init; } = 31;

    public double LearningRate { get; init; } = 0.1;

    public int MinRowsPerLeaf { get; init; } = 20;

    /// <summary>Checks every setting; a bad one is an <see cref="InvalidOptionException"/> naming it.</summary>
    public TreeOptions Validate()
    {
        OptionChecks.Check(nameof(Trees), Trees >= 1, $"expected at least 1, got {Trees}.");
        OptionChecks.Check(nameof(Leaves), Leaves >= 2, $"expected at least 2, got {Leaves}.");
        OptionChecks.Check(nameof(LearningRate), LearningRate > 0, $"expected a positive number, got {LearningRate}.");
        OptionChecks.Check(nameof(MinRowsPerLeaf), MinRowsPerLeaf >= 1, $"expected at least 1, got {MinRowsPerLeaf}.");
        return this;
    }
}

/// <summary>Linear models (SDCA, L-BFGS): <see cref="TrainingOptions.Linear"/>.</summary>
public sealed record LinearOptions
{
    /// <summary>Passes over the data.</summary>
    public int Iterations { get; init; } = 20;

    /// <summary>Checks every setting; a bad one is an <see cref="InvalidOptionException"/> naming it.</summary>
    public LinearOptions Validate()
    {
        OptionChecks.Check(nameof(Iterations), Iterations >= 1, $"expected at least 1, got {Iterations}.");
        return this;
    }
}

/// <summary>The multi-layer perceptron (TorchSharp): <see cref="TrainingOptions.Mlp"/>.</summary>
public sealed record MlpOptions
{
    /// <summary>The hidden layers' widths.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64, 32];

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Rows per optimizer step.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>auto (CUDA when there is one), cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Write the model after every epoch here (<c>epoch-N.pt</c>); null: no checkpoints.</summary>
    public string? CheckpointFolder { get; init; }

    /// <summary>Checks every setting; a bad one is an <see cref="InvalidOptionException"/> naming it.</summary>
    public MlpOptions Validate()
    {
        OptionChecks.Check(nameof(Hidden), Hidden.Count > 0 && Hidden.All(h => h >= 1), $"expected positive layer widths, got '{string.Join(",", Hidden)}'.");
        OptionChecks.Check(nameof(Epochs), Epochs >= 1, $"expected at least 1, got {Epochs}.");
        OptionChecks.Check(nameof(BatchSize), BatchSize >= 1, $"expected at least 1, got {BatchSize}.");
        OptionChecks.Check(nameof(LearningRate), LearningRate > 0, $"expected a positive number, got {LearningRate}.");
        OptionChecks.Device(nameof(Device), Device);
        return this;
    }
}
