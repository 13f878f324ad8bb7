using System.Globalization;

namespace NotebookMl.Jupyter.Logging;

/// <summary>
/// The kernel's own log, on the process's real stderr (which Jupyter shows in its log), never
/// through <see cref="Console.Error"/>, which belongs to the running cell.
/// </summary>
public sealed class KernelLog(TextWriter writer, TimeProvider timeProvider)
{
    /// <summary>A log on the process's standard error.</summary>
    public static KernelLog StandardError(TimeProvider timeProvider) =>
        new(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true }, timeProvider);

    /// <summary>Something the user may want to know.</summary>
    public void Info(string message) => Write("INFO", message);

    /// <summary>Something went wrong but the kernel goes on.</summary>
    public void Warn(string message) => Write("WARN", message);

    /// <summary>A failure.</summary>
    public void Error(string message) => Write("ERROR", message);

    private void Write(string level, string message)
    {
        lock (writer)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{timeProvider.GetUtcNow():HH:mm:ss.fff} NotebookMl {level}] {message}"));
        }
    }
}
