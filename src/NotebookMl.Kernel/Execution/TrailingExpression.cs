using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Whether a submission ends in an expression without a semicolon whose value is the cell's
/// result (<c>1 + 2</c>: yes; <c>Console.WriteLine()</c>: no, it is void).
/// </summary>
internal static class TrailingExpression
{
    /// <summary>Whether the code ends in an expression without a semicolon (syntax only).</summary>
    public static bool EndsWithExpression(SyntaxTree tree) =>
        tree.GetRoot() is CompilationUnitSyntax root
        && root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }
        && statement.SemicolonToken.IsMissing;

    public static bool HasValue(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
        {
            return false;
        }

        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }
}
