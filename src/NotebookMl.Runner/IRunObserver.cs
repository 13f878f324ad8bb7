using System.Text.Json.Nodes;
using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner;

/// <summary>Follows a run as it happens: for progress displays and <c>--log-output</c>.</summary>
public interface IRunObserver
{
    /// <summary>Code cell <paramref name="position"/> of <paramref name="count"/> (1-based) starts; <paramref name="firstLine"/> is its first non-empty line.</summary>
    void CellStarted(int position, int count, string firstLine);

    /// <summary>The running cell produced or changed an output (an nbformat output object).</summary>
    void CellOutput(JsonObject output);

    /// <summary>The cell finished (or failed) after <paramref name="duration"/>.</summary>
    void CellFinished(int position, int count, CellExecution execution, TimeSpan duration);
}
