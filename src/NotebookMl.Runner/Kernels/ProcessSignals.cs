using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NotebookMl.Runner.Kernels;

/// <summary>POSIX signals to a kernel process (what jupyter_client sends for <c>interrupt_mode: signal</c>).</summary>
internal static class ProcessSignals
{
    private const int SigInt = 2;

    /// <summary>Sends SIGINT to <paramref name="processId"/>; false when it could not be sent (gone, or not POSIX).</summary>
    public static bool Interrupt(int processId)
    {
        if (OperatingSystem.IsWindows() || processId <= 0)
        {
            return false;
        }

        try
        {
            return Kill(processId, SigInt) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library under another name: the kill command does the same.
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            return kill is not null && kill.WaitForExit(5000) && kill.ExitCode == 0;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
