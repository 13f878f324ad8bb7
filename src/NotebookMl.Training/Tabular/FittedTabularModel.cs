using System.Text.Json;
using Microsoft.Data.Analysis;
using NotebookMl.Training.Preprocessing;

namespace NotebookMl.Training.Tabular;

/// <summary>
/// What a learner fits: its preprocessing and the arithmetic that is exported (<see cref="Graph"/>).
/// Subclasses predict in memory. It is immutable once fitted; <see cref="TabularTrainer"/> evaluates
/// it and builds the <see cref="TrainedTabularModel"/> users get.
/// </summary>
public abstract class FittedTabularModel(Preprocessor preprocessor, TaskKind task, TrainingOptions options)
{
    public Preprocessor Preprocessor { get; } = preprocessor;

    public TaskKind Task { get; } = task;

    public TrainingOptions Options { get; } = options;

    /// <summary>The model's arithmetic as exported.</summary>
    public abstract ModelGraph Graph { get; }

    /// <summary>The in-memory model's outputs for preprocessed rows (<paramref name="rows"/> × width): raw score, and probability for binary models.</summary>
    public abstract (float[] Score, float[]? Probability) PredictVectors(float[] matrix, int rows);

    /// <summary>The in-memory model's outputs for <paramref name="frame"/>: raw score, and probability for binary models.</summary>
    public (float[] Score, float[]? Probability) Predict(DataFrame frame) => PredictVectors(Preprocessor.Transform(frame), (int)frame.Rows.Count);

    /// <summary>Writes the native model's files into <paramref name="folder"/>; returns their artifact paths.</summary>
    public abstract IReadOnlyList<(string File, string ArtifactPath)> SaveNative(string folder);

    /// <summary>The preprocessing as JSON (saved beside every native model).</summary>
    protected string PreprocessingJson() => JsonSerializer.Serialize(Preprocessor, new JsonSerializerOptions { WriteIndented = true });
}
