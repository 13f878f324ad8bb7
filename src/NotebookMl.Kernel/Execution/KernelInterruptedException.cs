namespace NotebookMl.Kernel.Execution;

/// <summary>Thrown inside a cell's code when the user interrupts the kernel.</summary>
public sealed class KernelInterruptedException : OperationCanceledException
{
    /// <summary>Creates the exception with the standard message.</summary>
    public KernelInterruptedException()
        : base("The cell was interrupted.")
    {
    }
}
