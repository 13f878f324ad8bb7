using System.Text.Json;
using Google.Protobuf;
using Microsoft.Data.Analysis;
using Microsoft.ML;
using NotebookMl.Training.Evaluation;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Preprocessing;

namespace NotebookMl.Training.Tabular;

/// <summary>A trained tabular model: its preprocessing, the ML.NET model, test metrics and where it was tracked.</summary>
public sealed class TrainedTabularModel
{
    private readonly MLContext _ml;

    internal TrainedTabularModel(MLContext ml, ITransformer model, DataViewSchema schema, Preprocessor preprocessor, TaskKind task, TrainingOptions options)
    {
        (_ml, Model, Schema, Preprocessor, Task, Options) = (ml, model, schema, preprocessor, task, options);
        Graph = ModelGraph.From(model);
    }

    public ITransformer Model { get; }

    public DataViewSchema Schema { get; }

    public Preprocessor Preprocessor { get; }

    public TaskKind Task { get; }

    public TrainingOptions Options { get; }

    /// <summary>The model's arithmetic as exported.</summary>
    public ModelGraph Graph { get; }

    public BinaryMetrics? Binary { get; internal set; }

    public RegressionMetrics? Regression { get; internal set; }

    /// <summary>The test metrics by name (auc, log_loss, … or rmse, mae, r2).</summary>
    public IReadOnlyDictionary<string, double> Metrics => Binary?.Values ?? Regression?.Values ?? new Dictionary<string, double>();

    /// <summary>Validation metric per number of trees (trees), or empty.</summary>
    public IReadOnlyList<(int Step, double Value)> Curve { get; internal set; } = [];

    public string CurveMetric { get; internal set; } = string.Empty;

    /// <summary>Importance per raw feature (total split gain for trees, |weight| of standardized inputs for linear models), largest first.</summary>
    public IReadOnlyList<(string Feature, double Importance)> Importance { get; internal set; } = [];

    public string? RunId { get; internal set; }

    /// <summary>Rows used for training and testing.</summary>
    public (int Train, int Test) Rows { get; internal set; }

    /// <summary>SHA-256 of the training rows as the model saw them (vectors and labels).</summary>
    public string TrainingDigest { get; internal set; } = string.Empty;

    /// <summary>The in-memory model's outputs for <paramref name="frame"/>: raw score, and probability for binary models.</summary>
    public (float[] Score, float[]? Probability) Predict(DataFrame frame)
    {
        var matrix = Preprocessor.Transform(frame);
        var rows = Enumerable.Range(0, (int)frame.Rows.Count).ToArray();
        return VectorData.Predict(Model, VectorData.Load(_ml, matrix, Preprocessor.Width, new double[rows.Length], rows, Task), Task);
    }

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

    /// <summary>Saves the ML.NET model (zip) with the preprocessing beside it as JSON.</summary>
    public void Save(string modelPath, string preprocessingPath)
    {
        _ml.Model.Save(Model, Schema, modelPath);
        File.WriteAllText(preprocessingPath, JsonSerializer.Serialize(Preprocessor, new JsonSerializerOptions { WriteIndented = true }));
    }
}
