namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Turns an exception from a cell into traceback lines a notebook user can read: the exception
/// and its inner exceptions, with frames of the scripting machinery removed.
/// </summary>
internal static class StackTraceFormatter
{
    private static readonly string[] s_hiddenFramePrefixes =
    [
        "at Microsoft.CodeAnalysis.Scripting.",
        "at System.Runtime.CompilerServices.",
        "at System.Runtime.ExceptionServices.",
        "at System.Threading.ExecutionContext.",
        "at System.Threading.Tasks.",
        "at NotebookMl.Kernel.Execution.Interruption.",
        "--- End of stack trace from previous location ---",
    ];

    public static IReadOnlyList<string> Format(Exception exception)
    {
        var lines = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var prefix = ReferenceEquals(current, exception) ? "" : " ---> ";
            lines.Add($"{prefix}{current.GetType().FullName}: {current.Message}");
            foreach (var frame in (current.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!s_hiddenFramePrefixes.Any(frame.StartsWith))
                {
                    lines.Add("   " + frame.Replace("Submission#", "cell#", StringComparison.Ordinal));
                }
            }
        }

        return lines;
    }
}
