using System.ComponentModel;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// The interrupt check that the kernel writes into every loop and method body of a cell, so that
/// an interrupt stops even <c>while (true) { }</c>. Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Interruption
{
    // Why static: the check is compiled into user code, including user-declared classes that
    // cannot see the script's host object. The counter makes the common case (no interrupt
    // pending anywhere) one volatile read, so tight numeric loops stay fast.
    private static readonly Pending s_pending = new();

    /// <summary>Throws <see cref="KernelInterruptedException"/> when the running cell was interrupted.</summary>
    public static void Check()
    {
        if (Volatile.Read(ref s_pending.Count) != 0)
        {
            SubmissionContext.Current?.ThrowIfInterrupted();
        }
    }

    internal static void Requested() => Interlocked.Increment(ref s_pending.Count);

    internal static void Settled() => Interlocked.Decrement(ref s_pending.Count);

    // The process's one count of interrupts not yet settled (never replaced, only counted).
    private sealed class Pending
    {
        public int Count;
    }
}
