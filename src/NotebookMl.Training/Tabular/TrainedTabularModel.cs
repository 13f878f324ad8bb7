using System.Text.Json;
using Google.Protobuf;
using Microsoft.Data.Analysis;
using NotebookMl.Training.Evaluation;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Preprocessing;

namespace NotebookMl.Training.Tabular;

/// <summary>
/// A trained tabular model, whatever learned it: its preprocessing, the arithmetic that is exported
/// (<see cref="Graph"/>), test metrics, curves and where it was tracked. Subclasses predict in memory.
/// </summary>
public abstract class TrainedTabularModel(Preprocessor preprocessor, TaskKind task, TrainingOptions options)
{
    public Preprocessor Preprocessor { get; } = preprocessor;

    public TaskKind Task { get; } = task;

    public TrainingOptions Options { get; } = options;

    /// <summary>The model's arithmetic as exported.</summary>
    public abstract ModelGraph Graph { get; }

    public BinaryMetrics? Binary { get; internal set; }

    public RegressionMetrics? Regression { get; internal set; }

    /// <summary>The test metrics by name (auc, log_loss, … or rmse, mae, r2).</summary>
    public IReadOnlyDictionary<string, double> Metrics => Binary?.Values ?? Regression?.Values ?? new Dictionary<string, double>();

    /// <summary>Validation metric per step (trees, or epochs), or empty.</summary>
    public IReadOnlyList<(int Step, double Value)> Curve { get; set; } = [];

    public string CurveMetric { get; set; } = string.Empty;

    /// <summary>Importance per raw feature, largest first.</summary>
    public IReadOnlyList<(string Feature, double Importance)> Importance { get; internal set; } = [];

    public string? RunId { get; internal set; }

    /// <summary>Rows used for training and testing.</summary>
    public (int Train, int Test) Rows { get; internal set; }

    /// <summary>SHA-256 of the training rows as the model saw them (vectors and labels).</summary>
    public string TrainingDigest { get; internal set; } = string.Empty;

    /// <summary>Seconds the learner took to fit (without preprocessing, evaluation or export).</summary>
    public double TrainingSeconds { get; internal set; }

    /// <summary>True when training was interrupted: the model is the one trained so far.</summary>
    public bool Interrupted { get; set; }

    /// <summary>The in-memory model's outputs for preprocessed rows (<paramref name="rows"/> × width): raw score, and probability for binary models.</summary>
    public abstract (float[] Score, float[]? Probability) PredictVectors(float[] matrix, int rows);

    /// <summary>The in-memory model's outputs for <paramref name="frame"/>: raw score, and probability for binary models.</summary>
    public (float[] Score, float[]? Probability) Predict(DataFrame frame) => PredictVectors(Preprocessor.Transform(frame), (int)frame.Rows.Count);

    /// <summary>Writes the native model's files into <paramref name="folder"/>; returns their artifact paths.</summary>
    public abstract IReadOnlyList<(string File, string ArtifactPath)> SaveNative(string folder);

    /// <summary>
    /// The ONNX model, checked: ONNX Runtime's outputs on <paramref name="validation"/> must match the
    /// in-memory model's within <see cref="OnnxParity.Tolerance"/>, or <see cref="OnnxParityException"/>.
    /// </summary>
    public byte[] ExportOnnx(DataFrame validation)
    {
        var metadata = new Dictionary<string, string>
        {
            ["model_name"] = Options.ModelName,
            ["run_id"] = RunId ?? string.Empty,
            ["task"] = Task.ToString().ToLowerInvariant(),
            ["learner"] = Options.Model.ToString().ToLowerInvariant(),
            ["input_schema"] = JsonSerializer.Serialize(Preprocessor.Encoders.Select(e => new { name = e.Name, type = e is CategoricalEncoder ? "string" : "float32", shape = new[] { -1, 1 } })),
            ["preprocessing"] = JsonSerializer.Serialize(Preprocessor),
            ["training_data_sha256"] = TrainingDigest,
            ["producer"] = $"NotebookMl {TabularOnnxExporter.ProducerVersion}",
        };
        if (Options.FeatureViews is { Count: > 0 } views)
        {
            metadata["feature_views"] = JsonSerializer.Serialize(views);
        }
        var bytes = TabularOnnxExporter.Build(Preprocessor, Graph, Task, metadata).ToByteArray();
        var (score, probability) = Predict(validation);
        var (output, expected) = Task == TaskKind.Binary ? ("probability", probability!) : ("prediction", score);
        var onnx = OnnxParity.Run(bytes, Preprocessor, validation, output);
        var (difference, row) = OnnxParity.Largest(onnx, expected);
        if (difference > OnnxParity.Tolerance)
        {
            throw new OnnxParityException($"ONNX export refused: ONNX Runtime's '{output}' differs from the in-memory model by {difference:G3} (> {OnnxParity.Tolerance:G1}) at validation row {row} ({onnx[row]} vs {expected[row]}).");
        }

        return bytes;
    }

    /// <summary>The preprocessing as JSON (saved beside every native model).</summary>
    protected string PreprocessingJson() => JsonSerializer.Serialize(Preprocessor, new JsonSerializerOptions { WriteIndented = true });
}
