using System.CommandLine;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Magics.Builtins;

/// <summary><c>#!whos</c>: the variables declared so far with their types and values.</summary>
internal sealed class WhosVerb(CSharpKernel kernel) : IVerb
{
    private const int MaxValueLength = 80;

    public string Name => "whos";

    public string Description => "Show the variables declared so far with their types and values.";

    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(_ => context.Display(new Table(
            ["name", "type", "value"],
            kernel.Variables.OrderBy(v => v.Name, StringComparer.Ordinal)
                .Select(v => (IReadOnlyList<string>)[v.Name, TypeNames.Of(v.Type), Summarize(v.Value)])
                .ToArray())));
        return command;
    }

    /// <summary>A short value, one line: a string quoted, a table or collection by its size, anything else by the first line of its text.</summary>
    internal static string Summarize(object? value)
    {
        var text = value switch
        {
            null => "null",
            string s => "\"" + s.ReplaceLineEndings("\\n") + "\"",
            Microsoft.Data.Analysis.DataFrame frame => $"{frame.Rows.Count:N0} rows × {frame.Columns.Count} columns",
            Array array => $"Length = {array.Length}" + (array.Rank == 1 && array.Length > 0 ? ": " + string.Join(", ", array.Cast<object?>().Take(5).Select(Item)) + (array.Length > 5 ? ", …" : "") : ""),
            System.Collections.ICollection collection => $"Count = {collection.Count}",
            _ => FirstLine(value.ToString() ?? ""),
        };
        return text.Length <= MaxValueLength ? text : text[..(MaxValueLength - 1)] + "…";
    }

    private static string Item(object? item) => item is string s ? "\"" + s + "\"" : FirstLine(item?.ToString() ?? "null");

    private static string FirstLine(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length switch { 0 => "", 1 => lines[0], _ => lines[0] + " …" };
    }
}
