using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Adds an interrupt check at the top of every loop body, method-like body and before every
/// <c>goto</c>, without adding line breaks, so diagnostics and stack traces keep the cell's line numbers.
/// </summary>
internal sealed class InterruptCheckRewriter : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax s_check =
        SyntaxFactory.ParseStatement("global::NotebookMl.Kernel.Execution.Interruption.Check();");

    /// <summary>Returns the cell's code with interrupt checks added (unchanged when it has nothing that can run long).</summary>
    public static string Rewrite(SyntaxTree tree)
    {
        var root = tree.GetRoot();
        return root.DescendantNodes().Any(NeedsCheck) ? new InterruptCheckRewriter().Visit(root).ToFullString() : root.ToFullString();
    }

    private static bool NeedsCheck(SyntaxNode node) =>
        node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax
            or GotoStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
            or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax;

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(AddCheck(visited.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(AddCheck(visited.Statement));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(AddCheck(visited.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(AddCheck(visited.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var visited = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return visited.WithStatement(AddCheck(visited.Statement));
    }

    public override SyntaxNode? VisitGotoStatement(GotoStatementSyntax node) => AddCheck(node);

    public override SyntaxNode? VisitBlock(BlockSyntax node)
    {
        var visited = (BlockSyntax)base.VisitBlock(node)!;
        // Method, constructor, accessor, local function and lambda bodies: catches unbounded recursion.
        return node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
            or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax
            ? visited.WithStatements(visited.Statements.Insert(0, s_check))
            : visited;
    }

    private static StatementSyntax AddCheck(StatementSyntax body) => body is BlockSyntax block
        ? block.WithStatements(block.Statements.Insert(0, s_check))
        : SyntaxFactory.Block(s_check, body.WithoutTrivia())
            .WithLeadingTrivia(body.GetLeadingTrivia())
            .WithTrailingTrivia(body.GetTrailingTrivia());
}
