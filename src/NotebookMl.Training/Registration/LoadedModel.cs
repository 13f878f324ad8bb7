using System.Globalization;
using Microsoft.Data.Analysis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookMl.Core.Registry;

namespace NotebookMl.Training.Registration;

/// <summary>
/// A registered model loaded for prediction in this process (the embedded-model serving pattern): an ONNX Runtime
/// session over the version's artifact, ready to predict on DataFrames. Each graph input is filled from the column
/// of its name, as a client would send it: [N, 1] (or [N]) tensors of the input's element type, NaN or "" where a
/// value is missing. Thread-safe; dispose to free the session.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly InferenceSession _session;

    private LoadedModel(InferenceSession session, string uri, ModelVersion? version)
    {
        (_session, Uri, Version) = (session, uri, version);
        Signature = OnnxSignature.Of(session);
    }

    /// <summary>The URI the model was loaded by (<c>models:/NAME/N</c> once resolved, or <c>runs:/…</c>).</summary>
    public string Uri { get; }

    /// <summary>The registered version, or null for a run's model.</summary>
    public ModelVersion? Version { get; }

    /// <summary>The inputs and outputs of the graph.</summary>
    public ModelSignature Signature { get; }

    /// <summary>Loads ONNX bytes; what ONNX Runtime cannot load is an <see cref="InvalidDataException"/> naming <paramref name="uri"/>.</summary>
    public static LoadedModel FromOnnx(byte[] onnx, string uri, ModelVersion? version = null)
    {
        var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        try
        {
            return new LoadedModel(new InferenceSession(onnx, options), uri, version);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{uri}: ONNX Runtime cannot load the model: {OnnxSignature.FirstLine(e.Message)}");
        }
        finally
        {
            options.Dispose();
        }
    }

    /// <summary>The model's outputs for each row of <paramref name="frame"/>, one column per output (of <paramref name="outputs"/>, or all).</summary>
    public DataFrame Predict(DataFrame frame, params string[] outputs)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var rows = (int)frame.Rows.Count;
        var inputs = Signature.Inputs.Select(input => Input(input, frame, rows)).ToList();
        var wanted = outputs.Length > 0 ? outputs : Signature.Outputs.Select(o => o.Name).ToArray();
        if (wanted.FirstOrDefault(w => Signature.Outputs.All(o => o.Name != w)) is { } unknown)
        {
            throw new ArgumentException($"outputs: {Uri} has no output '{unknown}'; its outputs: {string.Join(", ", Signature.Outputs.Select(o => o.Name))}.", nameof(outputs));
        }

        using var results = _session.Run(inputs, wanted);
        return new DataFrame(results.Select(Column));
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();

    private NamedOnnxValue Input(TensorSignature input, DataFrame frame, int rows)
    {
        var column = frame.Columns.FirstOrDefault(c => c.Name == input.Name)
            ?? throw new ArgumentException($"{Uri} needs the input '{input.Name}' ({input.DataType}), which is not a column; columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
        int[] shape = input.Shape.Count == 1 ? [rows] : [rows, 1];
        object? Value(int r) => column[r];
        return input.DataType switch
        {
            "FP32" => Tensor(input.Name, shape, rows, r => Value(r) is { } v ? Convert.ToSingle(v, CultureInfo.InvariantCulture) : float.NaN),
            "FP64" => Tensor(input.Name, shape, rows, r => Value(r) is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : double.NaN),
            "INT64" => Tensor(input.Name, shape, rows, r => Convert.ToInt64(Value(r) ?? throw Missing(input, r), CultureInfo.InvariantCulture)),
            "INT32" => Tensor(input.Name, shape, rows, r => Convert.ToInt32(Value(r) ?? throw Missing(input, r), CultureInfo.InvariantCulture)),
            "BOOL" => Tensor(input.Name, shape, rows, r => Convert.ToBoolean(Value(r) ?? throw Missing(input, r), CultureInfo.InvariantCulture)),
            "BYTES" => Tensor(input.Name, shape, rows, r => Value(r) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "" : ""),
            _ => throw new InvalidDataException($"{Uri}: input '{input.Name}' has type {input.DataType}, which a DataFrame cannot fill."),
        };
    }

    private ArgumentException Missing(TensorSignature input, int row) => new($"{Uri}: input '{input.Name}' ({input.DataType}) has no value at row {row}; integer and boolean inputs cannot be missing.");

    private static NamedOnnxValue Tensor<T>(string name, int[] shape, int rows, Func<int, T> value)
    {
        var data = new T[rows];
        for (var r = 0; r < rows; r++)
        {
            data[r] = value(r);
        }

        return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<T>(data, shape));
    }

    private static DataFrameColumn Column(DisposableNamedOnnxValue value) => value.ElementType switch
    {
        TensorElementType.Float => new SingleDataFrameColumn(value.Name, value.AsTensor<float>().ToArray()),
        TensorElementType.Double => new DoubleDataFrameColumn(value.Name, value.AsTensor<double>().ToArray()),
        TensorElementType.Int64 => new Int64DataFrameColumn(value.Name, value.AsTensor<long>().ToArray()),
        TensorElementType.Int32 => new Int32DataFrameColumn(value.Name, value.AsTensor<int>().ToArray()),
        TensorElementType.Bool => new BooleanDataFrameColumn(value.Name, value.AsTensor<bool>().ToArray()),
        TensorElementType.String => new StringDataFrameColumn(value.Name, value.AsTensor<string>().ToArray()),
        _ => throw new InvalidDataException($"output '{value.Name}' has type {value.ElementType}, which a DataFrame cannot hold."),
    };
}
