using NotebookMl.Core.Tracking;
using NotebookMl.Training.Preprocessing;

namespace NotebookMl.Training.Tabular;

/// <summary>What a learner gets from <see cref="TabularTrainer"/>: preprocessed rows, the split, and the run.</summary>
/// <param name="Matrix">Every row's vector (rows × <see cref="Preprocessor.Width"/>).</param>
/// <param name="Label">Every row's label (0/1 for binary).</param>
/// <param name="Split">Training and test rows.</param>
/// <param name="Preprocessor">The fitted preprocessing.</param>
/// <param name="Task">Binary or regression.</param>
/// <param name="Options">The training options.</param>
/// <param name="Run">The tracked run, if any.</param>
/// <param name="Progress">Where progress goes.</param>
/// <param name="Cancellation">Stops training between steps.</param>
public sealed record TrainingInput(
    float[] Matrix, double[] Label, DataSplit Split, Preprocessor Preprocessor, TaskKind Task, TrainingOptions Options,
    TrackedRun? Run, IProgress<TrainingProgress>? Progress, CancellationToken Cancellation)
{
    public int Width => Preprocessor.Width;

    /// <summary>The vectors of <paramref name="rows"/>, one after another.</summary>
    public float[] VectorsOf(IReadOnlyList<int> rows)
    {
        var vectors = new float[(long)rows.Count * Width];
        for (var i = 0; i < rows.Count; i++)
        {
            Matrix.AsSpan(rows[i] * Width, Width).CopyTo(vectors.AsSpan(i * Width));
        }

        return vectors;
    }
}

/// <summary>A learner <see cref="TabularTrainer"/> can run: it says how it wants its inputs encoded and fits a model.</summary>
public interface ITabularLearner
{
    /// <summary>Numbers scaled to mean 0 and variance 1.</summary>
    bool Standardize { get; }

    /// <summary>How categories are encoded.</summary>
    CategoricalEncoding Encoding { get; }

    /// <summary>Fits a model; logs its own per-step metrics to <see cref="TrainingInput.Run"/>; stops between steps when cancelled (the model so far, <see cref="LearnedModel.Interrupted"/>).</summary>
    LearnedModel Fit(TrainingInput input);

    /// <summary>Importance per slot of the vector.</summary>
    double[] SlotImportance(FittedTabularModel model);
}
