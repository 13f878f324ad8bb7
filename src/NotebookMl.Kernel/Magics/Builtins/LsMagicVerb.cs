using System.CommandLine;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Magics.Builtins;

/// <summary><c>#!lsmagic</c>: the magic commands this kernel has.</summary>
internal sealed class LsMagicVerb(CSharpKernel kernel) : IVerb
{
    // What the kernel itself reads in a cell, besides the verbs.
    private static readonly IReadOnlyList<string>[] s_directives =
    [
        ["#r \"nuget: Package, Version\"", "Reference a NuGet package (version optional; \"*-*\" for the latest prerelease)."],
        ["#r \"path/Library.dll\"", "Reference an assembly file."],
        ["#i \"nuget: SOURCE\"", "Add a NuGet package source (a feed URL or a local folder)."],
        ["#!csharp", "The lines that follow are C# (Polyglot's kernel selector; also #!c#)."],
        ["#!html", "The lines that follow are HTML, shown as it is."],
        ["#!markdown", "The lines that follow are Markdown, shown rendered."],
    ];

    public string Name => "lsmagic";

    public string Description => "List the magic commands available in this kernel.";

    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(_ => context.Display(new Table(
            ["magic command", "description"],
            [.. s_directives, .. kernel.MagicCommands.Select(v => (IReadOnlyList<string>)["#!" + v.Name, v.Description])])
        {
            Title = "Magic commands (each #! verb takes -h for help)",
        }));
        return command;
    }
}
