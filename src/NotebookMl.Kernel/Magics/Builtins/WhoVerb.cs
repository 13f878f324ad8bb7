using System.CommandLine;
using NotebookMl.Verbs;

namespace NotebookMl.Kernel.Magics.Builtins;

/// <summary><c>#!who</c>: the names of the variables declared so far.</summary>
internal sealed class WhoVerb(CSharpKernel kernel) : IVerb
{
    public string Name => "who";

    public string Description => "List the names of the variables declared so far.";

    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(_ =>
        {
            var names = kernel.Variables.Select(v => v.Name).Order(StringComparer.Ordinal).ToArray();
            context.WriteLine(names.Length == 0 ? "No variables are declared." : string.Join("\t", names));
        });
        return command;
    }
}
