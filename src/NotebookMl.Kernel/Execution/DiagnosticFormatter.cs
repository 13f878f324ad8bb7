using System.Globalization;
using Microsoft.CodeAnalysis;

namespace NotebookMl.Kernel.Execution;

/// <summary>Formats compiler diagnostics as <c>(line,column): error CSnnnn: message</c>, 1-based, relative to the cell.</summary>
internal static class DiagnosticFormatter
{
    public static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var position = diagnostic.Location.IsInSource
            ? string.Create(CultureInfo.InvariantCulture, $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): ")
            : "";
        var severity = diagnostic.Severity.ToString().ToLowerInvariant();
        return $"{position}{severity} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }
}
