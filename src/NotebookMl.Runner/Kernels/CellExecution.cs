using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>What running one cell produced.</summary>
/// <param name="Status">The <c>execute_reply</c> status: <c>ok</c>, <c>error</c> or <c>aborted</c>.</param>
/// <param name="ExecutionCount">The kernel's execution counter for the cell, when it reported one.</param>
/// <param name="Outputs">The cell's nbformat v4 output objects, as nbclient would save them.</param>
/// <param name="ErrorName">The exception's name when <see cref="Status"/> is <c>error</c>.</param>
/// <param name="ErrorValue">The exception's message when <see cref="Status"/> is <c>error</c>.</param>
/// <param name="Traceback">The traceback lines when <see cref="Status"/> is <c>error</c>.</param>
public sealed record CellExecution(
    string Status,
    int? ExecutionCount,
    IReadOnlyList<JsonObject> Outputs,
    string? ErrorName,
    string? ErrorValue,
    IReadOnlyList<string> Traceback);
