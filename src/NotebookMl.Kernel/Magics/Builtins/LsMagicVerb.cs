using System.CommandLine;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Kernel.Verbs;

namespace NotebookMl.Kernel.Magics.Builtins;

/// <summary><c>#!lsmagic</c>: the magic commands this kernel has.</summary>
internal sealed class LsMagicVerb(CSharpKernel kernel) : IVerb
{
    public string Name => "lsmagic";

    public string Description => "List the magic commands available in this kernel.";

    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(_ => context.Display(new Table(
            ["magic command", "description"],
            kernel.MagicCommands.Select(v => (IReadOnlyList<string>)["#!" + v.Name, v.Description]).ToArray())
        {
            Title = "Magic commands (each takes -h for help)",
        }));
        return command;
    }
}
