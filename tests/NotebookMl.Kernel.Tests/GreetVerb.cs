using System.CommandLine;
using NotebookMl.Verbs;

namespace NotebookMl.Kernel.Tests;

/// <summary>A verb as an extension would write one.</summary>
public sealed class GreetVerb : IVerb
{
    public string Name => "greet";

    public string Description => "Greet someone.";

    public Command CreateCommand(IVerbContext context)
    {
        var name = new Option<string>("--name") { Required = true };
        var command = new Command(Name, Description) { name };
        command.SetAction(parse => context.WriteLine($"Hello, {parse.GetValue(name)}!"));
        return command;
    }
}
