using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NotebookMl.Runner.Parameters;

/// <summary>Reads the declarations of a <c>parameters</c> cell: <c>int epochs = 10;</c> in C#, <c>epochs = 10</c> in Python.</summary>
public static partial class ParameterCellReader
{
    /// <summary>The parameters declared in <paramref name="source"/>, in order.</summary>
    public static IReadOnlyList<NotebookParameter> Read(string source, ParameterLanguage language) =>
        language == ParameterLanguage.CSharp ? ReadCSharp(source) : ReadPython(source);

    private static List<NotebookParameter> ReadCSharp(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var result = new List<NotebookParameter>();
        foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            if (declaration.Parent is not (LocalDeclarationStatementSyntax or FieldDeclarationSyntax))
            {
                continue;
            }

            foreach (var variable in declaration.Variables)
            {
                var initializer = variable.Initializer?.Value;
                var type = declaration.Type.IsVar ? Infer(initializer) : FromCSharpType(declaration.Type.ToString());
                result.Add(new NotebookParameter(variable.Identifier.Text, type, initializer?.ToString() ?? ""));
            }
        }

        return result;
    }

    private static List<NotebookParameter> ReadPython(string source)
    {
        var result = new List<NotebookParameter>();
        foreach (var line in source.Split('\n'))
        {
            if (PythonAssignment().Match(line) is { Success: true } match)
            {
                var value = match.Groups["value"].Value.Trim();
                var annotation = match.Groups["type"].Value.Trim();
                var type = annotation.Length > 0 ? FromPythonType(annotation) : InferPython(value);
                result.Add(new NotebookParameter(match.Groups["name"].Value, type, value));
            }
        }

        return result;
    }

    private static ParameterType FromCSharpType(string type) => type.Replace(" ", "") switch
    {
        "int" or "Int32" or "System.Int32" => ParameterType.Int,
        "long" or "Int64" or "System.Int64" => ParameterType.Long,
        "double" or "float" or "decimal" or "Double" or "Single" => ParameterType.Double,
        "bool" or "Boolean" => ParameterType.Bool,
        "string" or "String" or "string?" => ParameterType.String,
        "DateTime" or "System.DateTime" or "DateTimeOffset" => ParameterType.DateTime,
        "int[]" => ParameterType.IntArray,
        "double[]" or "float[]" => ParameterType.DoubleArray,
        "string[]" => ParameterType.StringArray,
        _ => ParameterType.Other,
    };

    private static ParameterType Infer(ExpressionSyntax? value) => value switch
    {
        LiteralExpressionSyntax { Token.Value: int } => ParameterType.Int,
        LiteralExpressionSyntax { Token.Value: long } => ParameterType.Long,
        LiteralExpressionSyntax { Token.Value: double or float or decimal } => ParameterType.Double,
        LiteralExpressionSyntax { Token.Value: bool } => ParameterType.Bool,
        LiteralExpressionSyntax { Token.Value: string } => ParameterType.String,
        PrefixUnaryExpressionSyntax { Operand: var operand } => Infer(operand),
        _ => ParameterType.Other,
    };

    private static ParameterType FromPythonType(string annotation) => annotation switch
    {
        "int" => ParameterType.Int,
        "float" => ParameterType.Double,
        "bool" => ParameterType.Bool,
        "str" => ParameterType.String,
        "list[int]" or "List[int]" => ParameterType.IntArray,
        "list[float]" or "List[float]" => ParameterType.DoubleArray,
        "list[str]" or "List[str]" => ParameterType.StringArray,
        _ => ParameterType.Other,
    };

    private static ParameterType InferPython(string value) => value switch
    {
        "True" or "False" => ParameterType.Bool,
        _ when PythonInt().IsMatch(value) => ParameterType.Int,
        _ when PythonFloat().IsMatch(value) => ParameterType.Double,
        _ when value.Length >= 2 && value[0] is '"' or '\'' => ParameterType.String,
        _ => ParameterType.Other,
    };

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(:\s*(?<type>[^=]+?))?\s*=\s*(?<value>[^#]+?)\s*(#.*)?$")]
    private static partial Regex PythonAssignment();

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex PythonInt();

    [GeneratedRegex(@"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")]
    private static partial Regex PythonFloat();
}
