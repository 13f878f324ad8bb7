using System.Text.Json;
using Google.Protobuf;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Evaluation;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Preprocessing;

namespace NotebookMl.Training.Tabular;

/// <summary>
/// A trained tabular model as <see cref="TabularTrainer"/> returns it, whatever learned it: the fitted
/// <see cref="Model"/>, its test metrics, curves, importance and where it was tracked. An immutable
/// value, built once after evaluation.
/// </summary>
public sealed class TrainedTabularModel
{
    internal TrainedTabularModel(LearnedModel learned, TrainingFacts facts, BinaryMetrics? binary, RegressionMetrics? regression, IReadOnlyList<(string Feature, double Importance)> importance)
    {
        (Model, Curve, CurveMetric, Interrupted) = (learned.Model, learned.Curve, learned.CurveMetric, learned.Interrupted);
        (RunId, Rows, TrainingDigest, TrainingSeconds) = (facts.RunId, facts.Rows, facts.TrainingDigest, facts.TrainingSeconds);
        (Binary, Regression, Importance) = (binary, regression, importance);
    }

    /// <summary>The model the learner fitted (ML.NET's or TorchSharp's), which predicts in memory.</summary>
    public FittedTabularModel Model { get; }

    public Preprocessor Preprocessor => Model.Preprocessor;

    public TaskKind Task => Model.Task;

    public TrainingOptions Options => Model.Options;

    /// <summary>The model's arithmetic as exported.</summary>
    public ModelGraph Graph => Model.Graph;

    public BinaryMetrics? Binary { get; }

    public RegressionMetrics? Regression { get; }

    /// <summary>What cross-validation of the training rows found, when it was asked for (<see cref="TrainingOptions.Cv"/>).</summary>
    public CrossValidationResult? CrossValidation { get; init; }

    /// <summary>The test metrics by name (auc, log_loss, … or rmse, mae, r2).</summary>
    public IReadOnlyDictionary<string, double> Metrics => Binary?.Values ?? Regression?.Values ?? new Dictionary<string, double>();

    /// <summary>Validation metric per step (trees, or epochs), or empty.</summary>
    public IReadOnlyList<(int Step, double Value)> Curve { get; }

    public string CurveMetric { get; }

    /// <summary>Importance per raw feature, largest first.</summary>
    public IReadOnlyList<(string Feature, double Importance)> Importance { get; }

    public string? RunId { get; }

    /// <summary>Rows used for training and testing.</summary>
    public (int Train, int Test) Rows { get; }

    /// <summary>SHA-256 of the training rows as the model saw them (vectors and labels).</summary>
    public string TrainingDigest { get; }

    /// <summary>Seconds the learner took to fit (without preprocessing, evaluation or export).</summary>
    public double TrainingSeconds { get; }

    /// <summary>True when training was interrupted: the model is the one trained so far.</summary>
    public bool Interrupted { get; }

    /// <summary>The in-memory model's outputs for preprocessed rows: raw score, and probability for binary models.</summary>
    public (float[] Score, float[]? Probability) PredictVectors(float[] matrix, int rows) => Model.PredictVectors(matrix, rows);

    /// <summary>The in-memory model's outputs for <paramref name="frame"/>: raw score, and probability for binary models.</summary>
    public (float[] Score, float[]? Probability) Predict(DataFrame frame) => Model.Predict(frame);

    /// <summary>The ONNX model's inputs: one [N, 1] tensor per raw feature, float32 for numbers and string for categories.</summary>
    public IReadOnlyList<OnnxInput> Inputs => Preprocessor.Encoders.Select(e => new OnnxInput(e.Name, e is CategoricalEncoder ? "string" : "float32", [-1, 1])).ToArray();

    /// <summary>The ONNX output that carries the prediction: <c>probability</c> for binary models, <c>prediction</c> for regression.</summary>
    public string PredictionOutput => Task == TaskKind.Binary ? "probability" : "prediction";

    /// <summary>The in-memory model's prediction for each row of <paramref name="frame"/>, under its ONNX output's name.</summary>
    public IReadOnlyDictionary<string, float[]> Predictions(DataFrame frame) =>
        Predict(frame) is var (score, probability) ? new Dictionary<string, float[]> { [PredictionOutput] = probability ?? score } : throw new InvalidOperationException();

    /// <summary>Writes the native model's files into <paramref name="folder"/>; returns their artifact paths.</summary>
    public IReadOnlyList<(string File, string ArtifactPath)> SaveNative(string folder) => Model.SaveNative(folder);

    /// <summary>
    /// The ONNX model, checked: ONNX Runtime's outputs on <paramref name="validation"/> must match the
    /// in-memory model's within <see cref="OnnxParity.Tolerance"/>, or <see cref="OnnxParityException"/>.
    /// </summary>
    public byte[] ExportOnnx(DataFrame validation)
    {
        if (validation.Rows.Count == 0)
        {
            throw new OnnxParityException("ONNX export refused: the validation sample is empty, so parity with the in-memory model cannot be checked; pass rows to check it on.");
        }

        var metadata = new Dictionary<string, string>
        {
            ["model_name"] = Options.ModelName,
            ["run_id"] = RunId ?? string.Empty,
            ["task"] = Task.ToString().ToLowerInvariant(),
            ["learner"] = Options.Model.ToString().ToLowerInvariant(),
            [OnnxParity.InputSchemaKey] = JsonSerializer.Serialize(Inputs, JsonSerializerOptions.Web),
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
        var (output, expected) = (PredictionOutput, probability ?? score);
        var outputs = OnnxParity.Run(bytes, validation, Task == TaskKind.Binary ? [output, "label"] : [output]);
        var onnx = outputs[output];
        var (difference, row) = OnnxParity.Largest(onnx, expected);
        if (difference > OnnxParity.Tolerance)
        {
            throw new OnnxParityException($"ONNX export refused: ONNX Runtime's '{output}' differs from the in-memory model by {difference:G3} (> {OnnxParity.Tolerance:G1}) at validation row {row} ({onnx[row]} vs {expected[row]}).");
        }

        if (Task == TaskKind.Binary && OnnxParity.FirstLabelMismatch(outputs["label"], expected) is var mismatch and >= 0)
        {
            throw new OnnxParityException($"ONNX export refused: ONNX Runtime's 'label' is {outputs["label"][mismatch]} at validation row {mismatch}, where the in-memory probability is {expected[mismatch]} (label = probability > 0.5).");
        }

        return bytes;
    }
}
