using System.CommandLine;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Kernel.Verbs;

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

    private static string Summarize(object? value)
    {
        var text = value?.ToString() ?? "null";
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxValueLength ? text : text[..(MaxValueLength - 1)] + "…";
    }
}
