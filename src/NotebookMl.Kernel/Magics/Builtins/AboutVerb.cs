using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Magics.Builtins;

/// <summary><c>#!about</c>: what this kernel is and runs on.</summary>
internal sealed class AboutVerb : IVerb
{
    public string Name => "about";

    public string Description => "Show the NotebookMl version, the C# compiler, the .NET runtime and the machine.";

    public Command CreateCommand(IVerbContext context)
    {
        var command = new Command(Name, Description);
        command.SetAction(_ => context.Display(new Table(
            ["", ""],
            [
                ["NotebookMl", KernelInfo.Version],
                ["C# compiler (Roslyn)", VersionOf(typeof(Microsoft.CodeAnalysis.Compilation).Assembly)],
                [".NET runtime", RuntimeInformation.FrameworkDescription],
                ["OS", RuntimeInformation.OSDescription],
                ["Architecture", RuntimeInformation.ProcessArchitecture.ToString()],
                ["Processors", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                ["Home", "Successor of .NET Interactive: #! magic commands, #r, display(), the Formatter API"],
            ])
        {
            Title = "NotebookMl — C# notebooks for the whole ML lifecycle",
        }));
        return command;
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
