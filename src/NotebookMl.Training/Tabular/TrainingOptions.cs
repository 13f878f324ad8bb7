using NotebookMl.Core.Options;
using NotebookMl.Training.Validation;

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

    public int Seed { get; init; } = 42;

    /// <summary>Cross-validation of the training rows before the final fit (the test rows stay out of it); null: none.</summary>
    public CrossValidation? Cv { get; init; }

    /// <summary>With group cross-validation: the column whose values are the groups (a group's rows stay in one fold).</summary>
    public string? GroupColumn { get; init; }

    /// <summary>With time cross-validation (on <see cref="TimeColumn"/>): what is left out before each validation block.</summary>
    public CvGap? Gap { get; init; }

    /// <summary>Null: all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>The trees' settings (LightGBM, FastTree).</summary>
    public TreeOptions Tree { get; init; } = new();

    /// <summary>The linear learners' settings (SDCA, L-BFGS).</summary>
    public LinearOptions Linear { get; init; } = new();

    /// <summary>The MLP's settings (TorchSharp).</summary>
    public MlpOptions Mlp { get; init; } = new();

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

    /// <summary>Checks every setting, and those of the chosen learner, before any data is read.</summary>
    public TrainingOptions Validate()
    {
        OptionChecks.Check(nameof(Label), !string.IsNullOrWhiteSpace(Label), "name the column to predict.");
        OptionChecks.Check(nameof(Model), Model != ModelKind.Cnn, "cnn trains on images (ImageTrainer), not on a table.");
        OptionChecks.Check(nameof(TestFraction), TestFraction is > 0 and < 1, $"expected a number between 0 and 1, got {TestFraction}.");
        OptionChecks.Check(nameof(TimeColumn), Split != SplitKind.Time || !string.IsNullOrWhiteSpace(TimeColumn), "a time split needs the time column's name.");
        OptionChecks.Check(nameof(TestFrom), TestFrom is null || Split == SplitKind.Time, "a first test time applies to a time split only.");
        OptionChecks.Check(nameof(Threads), Threads is null or >= 1, $"expected at least 1, got {Threads}.");
        OptionChecks.Check(nameof(MaxCategories), MaxCategories is null or >= 1, $"expected at least 1, got {MaxCategories}.");
        OptionChecks.Check(nameof(Features), !Features.Contains(Label), $"the label '{Label}' cannot also be a feature.");
        OptionChecks.Check(nameof(GroupColumn), (Cv?.Kind == CvKind.Group) == !string.IsNullOrWhiteSpace(GroupColumn),
            Cv?.Kind == CvKind.Group ? "group cross-validation needs the group column's name." : "a group column applies to group cross-validation (group:K) only.");
        OptionChecks.Check(nameof(Gap), Gap is null || Cv?.Kind == CvKind.Time, "a gap applies to time cross-validation (time:K) only.");
        OptionChecks.Check(nameof(TimeColumn), Cv?.Kind != CvKind.Time || !string.IsNullOrWhiteSpace(TimeColumn), "time cross-validation needs the time column's name.");
        _ = Model switch
        {
            ModelKind.LightGbm or ModelKind.FastTree => (object)Tree.Validate(),
            ModelKind.Sdca or ModelKind.Lbfgs => Linear.Validate(),
            _ => Mlp.Validate(),
        };
        return this;
    }
}
