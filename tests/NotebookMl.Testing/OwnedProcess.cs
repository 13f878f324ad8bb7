using System.Diagnostics;

namespace NotebookMl.Testing;

/// <summary>A process a test started and owns: disposing it kills the process tree if it still runs, so a failed assertion leaves nothing behind.</summary>
public sealed class OwnedProcess(Process process) : IDisposable
{
    /// <summary>The process.</summary>
    public Process Process { get; } = process;

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        Process.Dispose();
    }
}
