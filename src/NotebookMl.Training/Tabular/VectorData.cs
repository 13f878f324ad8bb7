using Microsoft.ML;
using Microsoft.ML.Data;

namespace NotebookMl.Training.Tabular;

/// <summary>Preprocessed rows as an ML.NET data view: a <c>Features</c> vector and a <c>Label</c>.</summary>
internal static class VectorData
{
    public static IDataView Load(MLContext ml, float[] matrix, int width, double[] label, int[] rows, TaskKind task)
    {
        var vectors = rows.Select(r => matrix.AsSpan(r * width, width).ToArray());
        if (task == TaskKind.Binary)
        {
            var schema = SchemaDefinition.Create(typeof(BinaryRow));
            schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
            return ml.Data.LoadFromEnumerable(rows.Zip(vectors, (r, v) => new BinaryRow { Features = v, Label = label[r] > 0.5 }).ToArray(), schema);
        }

        var regression = SchemaDefinition.Create(typeof(RegressionRow));
        regression[nameof(RegressionRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(rows.Zip(vectors, (r, v) => new RegressionRow { Features = v, Label = (float)label[r] }).ToArray(), regression);
    }

    /// <summary>The model's outputs per row: raw score, and probability for binary models.</summary>
    public static (float[] Score, float[]? Probability) Predict(ITransformer model, IDataView data, TaskKind task)
    {
        var scored = model.Transform(data);
        var score = scored.GetColumn<float>("Score").ToArray();
        return (score, task == TaskKind.Binary ? scored.GetColumn<float>("Probability").ToArray() : null);
    }

    internal sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    internal sealed class RegressionRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
