using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Execution;
using NotebookMl.Kernel.Magics;

namespace NotebookMl.Kernel.LanguageServices;

/// <summary>Jupyter's is_complete, decided from the C# syntax tree (magic lines are always complete).</summary>
internal static class CompletenessChecker
{
    private const string Indent = "    ";

    public static CompletenessDetermined Check(string code)
    {
        var text = CellParser.BlankMagicLines(code.Replace("\r\n", "\n"));
        if (string.IsNullOrWhiteSpace(text))
        {
            return new CompletenessDetermined(Completeness.Complete, "");
        }

        var tree = CSharpSyntaxTree.ParseText(text, ScriptExecutor.ParseOptions);
        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            return new CompletenessDetermined(Completeness.Incomplete, Indent);
        }

        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new CompletenessDetermined(Completeness.Invalid, "")
            : new CompletenessDetermined(Completeness.Complete, "");
    }
}
