using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NotebookMl.Kernel.Execution;

/// <summary>A submission compiled (with errors, or loaded and run to its value or exception).</summary>
internal sealed record SubmissionRun(CSharpCompilation Compilation, IReadOnlyList<Diagnostic> Errors, bool Ran, object? Value, Exception? Exception);
