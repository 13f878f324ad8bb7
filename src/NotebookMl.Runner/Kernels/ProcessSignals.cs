using System.Runtime.InteropServices;

namespace NotebookMl.Runner.Kernels;

/// <summary>POSIX signals to a kernel process (what jupyter_client sends for <c>interrupt_mode: signal</c>).</summary>
internal static class ProcessSignals
{
    private const int SigInt = 2;

    /// <summary>Sends SIGINT to <paramref name="processId"/>; false when it could not be sent (gone, or not POSIX).</summary>
    public static bool Interrupt(int processId) =>
        !OperatingSystem.IsWindows() && processId > 0 && Kill(processId, SigInt) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
