using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// A cell ran past its timeout and was interrupted. When the kernel answered the interrupt (see
/// <see cref="KernelResponded"/>) it can run further cells.
/// </summary>
public sealed class CellTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CellTimeoutException(string message, TimeSpan elapsed, bool kernelResponded, IReadOnlyList<JsonObject> outputs)
        : base(message)
    {
        Elapsed = elapsed;
        KernelResponded = kernelResponded;
        Outputs = outputs;
    }

    /// <summary>How long the cell ran before it was given up on (the timeout plus the wait for the interrupt).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>True when the kernel replied to the interrupted request and went idle, so it can go on.</summary>
    public bool KernelResponded { get; }

    /// <summary>The nbformat outputs the cell produced before it was given up on.</summary>
    public IReadOnlyList<JsonObject> Outputs { get; }
}
