namespace NotebookMl.Serving.Protocol;

/// <summary>
/// A tensor of the Open Inference Protocol: its name, datatype (FP32, FP64, INT32, INT64, BOOL, BYTES), shape and
/// its elements in row-major order (<c>float[]</c>, <c>double[]</c>, <c>int[]</c>, <c>long[]</c>, <c>bool[]</c> or <c>string[]</c>).
/// </summary>
public sealed record InferTensor(string Name, string DataType, long[] Shape, Array Data)
{
    /// <summary>The number of elements the shape holds.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => product * dimension);
}

/// <summary>An inference request after parsing: its id, the input tensors and the outputs asked for (empty: all).</summary>
public sealed record InferRequest(string? Id, IReadOnlyList<InferTensor> Inputs, IReadOnlyList<string> Outputs)
{
    /// <summary>Outputs to return as binary data (Triton's binary tensor extension: <c>"parameters": {"binary_data": true}</c>).</summary>
    public IReadOnlySet<string> BinaryOutputs { get; init; } = new HashSet<string>();

    /// <summary>Every output as binary data (<c>"parameters": {"binary_data_output": true}</c> on the request).</summary>
    public bool AllOutputsBinary { get; init; }

    /// <summary>Whether <paramref name="output"/> goes back as binary data.</summary>
    public bool IsBinary(string output) => AllOutputsBinary || BinaryOutputs.Contains(output);
}

/// <summary>A request the server refuses: the HTTP status (400, 404, 413, 503, …) and a message naming what is wrong.</summary>
public sealed class InferenceException(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status (gRPC maps it to its own code).</summary>
    public int Status { get; } = status;
}
