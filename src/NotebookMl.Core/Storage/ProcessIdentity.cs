using System.Diagnostics;
using System.Globalization;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Who wrote a row: host, process id and process start time, so a row left "running" by a process
/// that died can be told apart from one whose process lives (a reused pid has another start time).
/// </summary>
public static class ProcessIdentity
{
    private static readonly Lazy<string> s_start = new(() => Stamp(Process.GetCurrentProcess().StartTime.ToUniversalTime()));

    /// <summary>This machine's name.</summary>
    public static string Host => Environment.MachineName;

    /// <summary>This process' id.</summary>
    public static int ProcessId => Environment.ProcessId;

    /// <summary>This process' start time, as stored.</summary>
    public static string ProcessStart => s_start.Value;

    /// <summary>True if process <paramref name="pid"/> on this host is alive and is the one that started at <paramref name="processStart"/>.</summary>
    public static bool IsAlive(int pid, string processStart)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            var recorded = DateTime.Parse(processStart, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

            // Start times read at different moments can differ by a few milliseconds on Linux; a reused pid differs by far more.
            return !process.HasExited && (process.StartTime.ToUniversalTime() - recorded).Duration() < TimeSpan.FromSeconds(2);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
