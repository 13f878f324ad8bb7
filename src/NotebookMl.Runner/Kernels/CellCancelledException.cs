using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>The run was cancelled while a cell ran; the cell was interrupted and <see cref="Outputs"/> are what it showed.</summary>
public sealed class CellCancelledException(IReadOnlyList<JsonObject> outputs, CancellationToken token)
    : OperationCanceledException("the cell was interrupted because the run was cancelled", token)
{
    /// <summary>The outputs the cell produced before it was interrupted.</summary>
    public IReadOnlyList<JsonObject> Outputs { get; } = outputs;
}
