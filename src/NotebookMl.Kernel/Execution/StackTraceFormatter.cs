using System.Diagnostics;
using System.Reflection;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Turns an exception from a cell into traceback lines a notebook user can read: the exception
/// and its inner exceptions, frames of the scripting machinery removed, cell code shown as
/// <c>cell#N</c> with its line (<c>in cell:line 3</c>).
/// </summary>
internal static class StackTraceFormatter
{
    private static readonly string[] s_hiddenNamespaces =
    [
        "Microsoft.CodeAnalysis.Scripting", "System.Runtime.CompilerServices", "System.Runtime.ExceptionServices",
        "System.Threading.ExecutionContext", "System.Threading.Tasks", "NotebookMl.Kernel.Execution",
    ];

    public static IReadOnlyList<string> Format(Exception exception, CellLineMap? lines = null)
    {
        var result = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var prefix = ReferenceEquals(current, exception) ? "" : " ---> ";
            result.Add($"{prefix}{current.GetType().FullName}: {current.Message}");
            foreach (var frame in new StackTrace(current, fNeedFileInfo: true).GetFrames())
            {
                if (frame.GetMethod() is { } method && Describe(frame, method, lines) is { } line)
                {
                    result.Add(line);
                }
            }
        }

        return result;
    }

    private static string? Describe(StackFrame frame, MethodBase method, CellLineMap? lines)
    {
        var type = method.DeclaringType?.FullName ?? "";
        if (s_hiddenNamespaces.Any(n => type.StartsWith(n, StringComparison.Ordinal)))
        {
            return null;
        }

        var parameters = string.Join(", ", method.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"));
        var text = $"   at {type.Replace("Submission#", "cell#", StringComparison.Ordinal)}.{method.Name}({parameters})";
        if (frame.GetFileName() is { } file && frame.GetFileLineNumber() > 0)
        {
            return $"{text} in {file}:line {frame.GetFileLineNumber()}";
        }

        return type.StartsWith("Submission#", StringComparison.Ordinal) && lines?.LineOf(method, frame.GetILOffset()) is { } line
            ? $"{text} in cell:line {line}"
            : text;
    }
}
