namespace NotebookMl.Core.Registry;

/// <summary>A model's inputs and outputs as its ONNX graph declares them.</summary>
/// <param name="Inputs">The graph's inputs, in order.</param>
/// <param name="Outputs">The graph's outputs, in order.</param>
public sealed record ModelSignature(IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs)
{
    /// <summary>No inputs or outputs known (a version registered through the API without one).</summary>
    public static ModelSignature Empty { get; } = new([], []);
}

/// <summary>One input or output tensor.</summary>
/// <param name="Name">The tensor's name in the graph.</param>
/// <param name="DataType">The Open Inference Protocol's name for its element type: FP32, FP64, INT32, INT64, BOOL or BYTES (strings).</param>
/// <param name="Shape">Its dimensions, -1 where any size goes (the batch).</param>
public sealed record TensorSignature(string Name, string DataType, IReadOnlyList<long> Shape);
