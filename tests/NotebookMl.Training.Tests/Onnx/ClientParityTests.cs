using System.Text.Json;
using Microsoft.Data.Analysis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Training.Onnx;
using NotebookMl.Training.Tabular;

namespace NotebookMl.Training.Tests.Onnx;

/// <summary>
/// An exported model called as a serving client calls it: [N, 1] tensors built by hand from raw
/// values (NaN, empty strings and categories never seen in training included), against the
/// in-memory model given the same rows with missing values.
/// </summary>
public sealed class ClientParityTests
{
    private static readonly Lazy<(TrainedTabularModel Model, byte[] Onnx)> s_binary = new(() =>
    {
        var trained = TabularTrainer.Train(FlightRows.Sample, new TrainingOptions
        {
            Label = "late", Exclude = ["delay_minutes", "date"], Tree = new TreeOptions { Trees = 30, Leaves = 16 }, Threads = 2, Experiment = null,
        });
        return (trained, trained.ExportOnnx(FlightRows.Sample[Enumerable.Range(0, 1_000)]));
    });

    [Fact]
    public void Hand_built_tensors_with_nan_empty_and_unseen_values_match_the_in_memory_model()
    {
        var (trained, onnx) = s_binary.Value;
        double?[] distance = [500, double.NaN, 1200, 80, double.NaN, 2500, 300, 950];
        string?[] origin = ["SEA", "SEA", "", "ZZZ", "ORD", "", "not-an-airport", "LAX"];
        string?[] destination = ["LAX", "", "JFK", "SFO", "ZZZ", "ATL", "", "SEA"];
        double?[] hour = [7, 18, double.NaN, 23, 6, 12, double.NaN, 0];
        double?[] weekday = [1, 5, 3, double.NaN, 0, 6, 2, double.NaN];
        var rows = distance.Length;

        using var session = new InferenceSession(onnx);
        var inputs = new List<NamedOnnxValue>
        {
            Floats("distance", distance), Strings("origin", origin), Strings("destination", destination), Floats("hour", hour), Floats("weekday", weekday),
        };
        using var results = session.Run(inputs, ["probability", "label", "score"]);
        var probability = results.Single(r => r.Name == "probability").AsTensor<float>().ToArray();
        var label = results.Single(r => r.Name == "label").AsTensor<long>().ToArray();

        // The in-memory model sees the same rows with missing values as nulls (unseen categories as they are).
        var frame = new DataFrame(
            new DoubleDataFrameColumn("distance", distance.Select(Missing)),
            new StringDataFrameColumn("origin", origin.Select(o => o == "" ? null : o)),
            new StringDataFrameColumn("destination", destination.Select(d => d == "" ? null : d)),
            new DoubleDataFrameColumn("hour", hour.Select(Missing)),
            new DoubleDataFrameColumn("weekday", weekday.Select(Missing)));
        var expected = trained.Predict(frame).Probability!;

        Assert.Equal(rows, probability.Length);
        var (difference, row) = OnnxParity.Largest(probability, expected);
        Assert.True(difference <= OnnxParity.Tolerance, $"row {row}: ONNX {probability[Math.Max(0, row)]} vs in memory {expected[Math.Max(0, row)]}");
        Assert.Equal(expected.Select(p => p > 0.5f ? 1L : 0L), label);
        Assert.Equal(probability.Select(p => p > 0.5f ? 1L : 0L), label);
        // The rows differ from each other: missing and unseen values reach the trees, not one constant.
        Assert.True(probability.Distinct().Count() >= 4, string.Join(", ", probability));
    }

    [Fact]
    public void The_input_schema_metadata_describes_every_graph_input()
    {
        var (trained, onnx) = s_binary.Value;
        using var session = new InferenceSession(onnx);

        var schema = JsonDocument.Parse(session.ModelMetadata.CustomMetadataMap["input_schema"]).RootElement;

        Assert.Equal(
            [("distance", "float32"), ("origin", "string"), ("destination", "string"), ("hour", "float32"), ("weekday", "float32")],
            schema.EnumerateArray().Select(i => (i.GetProperty("name").GetString(), i.GetProperty("type").GetString())));
        foreach (var input in schema.EnumerateArray())
        {
            var declared = session.InputMetadata[input.GetProperty("name").GetString()!];
            Assert.Equal(input.GetProperty("type").GetString() == "string" ? TensorElementType.String : TensorElementType.Float, declared.ElementDataType);
            Assert.Equal([-1, 1], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            Assert.Equal([-1, 1], declared.Dimensions);
        }

        Assert.Equal(trained.Preprocessor.Encoders.Select(e => e.Name), session.InputMetadata.Keys);
        Assert.Equal(session.InputMetadata.Keys, OnnxParity.InputSchema(session.ModelMetadata.CustomMetadataMap).Select(i => i.Name));
    }

    [Fact]
    public void Export_is_refused_when_the_validation_sample_is_empty()
    {
        var (trained, _) = s_binary.Value;

        var error = Assert.Throws<OnnxParityException>(() => trained.ExportOnnx(FlightRows.Sample[Array.Empty<long>()]));

        Assert.Equal("ONNX export refused: the validation sample is empty, so parity with the in-memory model cannot be checked; pass rows to check it on.", error.Message);
    }

    private static double? Missing(double? value) => value is double v && double.IsNaN(v) ? null : value;

    private static NamedOnnxValue Floats(string name, double?[] values) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values.Select(v => (float)(v ?? double.NaN)).ToArray(), [values.Length, 1]));

    private static NamedOnnxValue Strings(string name, string?[] values) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values.Select(v => v ?? "").ToArray(), [values.Length, 1]));
}
