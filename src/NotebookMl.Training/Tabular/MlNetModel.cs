using Microsoft.ML;
using NotebookMl.Training.Preprocessing;

namespace NotebookMl.Training.Tabular;

/// <summary>A tabular model trained by ML.NET (LightGBM, FastTree, SDCA, L-BFGS).</summary>
public sealed class MlNetModel : FittedTabularModel
{
    private readonly MLContext _ml;

    internal MlNetModel(MLContext ml, ITransformer model, DataViewSchema schema, Preprocessor preprocessor, TaskKind task, TrainingOptions options)
        : base(preprocessor, task, options)
    {
        (_ml, Model, Schema) = (ml, model, schema);
        Graph = ModelGraph.From(model);
    }

    public ITransformer Model { get; }

    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public override ModelGraph Graph { get; }

    /// <inheritdoc/>
    public override (float[] Score, float[]? Probability) PredictVectors(float[] matrix, int rows)
    {
        var indices = Enumerable.Range(0, rows).ToArray();
        return VectorData.Predict(Model, VectorData.Load(_ml, matrix, Preprocessor.Width, new double[rows], indices, Task), Task);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<(string File, string ArtifactPath)> SaveNative(string folder)
    {
        var model = Path.Combine(folder, "model.zip");
        var preprocessing = Path.Combine(folder, "preprocessing.json");
        _ml.Model.Save(Model, Schema, model);
        File.WriteAllText(preprocessing, PreprocessingJson());
        return [(model, "model/model.zip"), (preprocessing, "model/preprocessing.json")];
    }
}
