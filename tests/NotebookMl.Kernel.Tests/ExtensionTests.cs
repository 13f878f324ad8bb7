using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NotebookMl.Kernel.Extensions;

namespace NotebookMl.Kernel.Tests;

public sealed class ExtensionTests
{
    [Fact]
    public async Task An_extension_assembly_adds_its_magic_commands_and_formatters()
    {
        var dll = CompileExtension();
        var kernel = new KernelHarness();

        foreach (var extension in ExtensionLoader.FromAssemblyFile(dll))
        {
            await kernel.Kernel.LoadExtensionAsync(extension);
        }

        var magic = await kernel.SubmitAsync("#!shout hello");
        Assert.Equal("HELLO\n", magic.StandardOutput);
    }

    private static string CompileExtension()
    {
        const string source = """
            using System.CommandLine;
            using NotebookMl.Kernel;
            using NotebookMl.Kernel.Extensions;
            using NotebookMl.Verbs;
            public sealed class ShoutExtension : IKernelExtension
            {
                public System.Threading.Tasks.Task OnLoadAsync(CSharpKernel kernel, System.Threading.CancellationToken cancellationToken)
                {
                    kernel.AddMagicCommand(new ShoutVerb());
                    return System.Threading.Tasks.Task.CompletedTask;
                }
            }
            public sealed class ShoutVerb : IVerb
            {
                public string Name => "shout";
                public string Description => "Upper-case the words.";
                public Command CreateCommand(IVerbContext context)
                {
                    var words = new Argument<string>("words");
                    var command = new Command(Name, Description) { words };
                    command.SetAction(parse => context.WriteLine(parse.GetValue(words)!.ToUpperInvariant()));
                    return command;
                }
            }
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.Contains("/shared/") || p.EndsWith("NotebookMl.Kernel.dll") || p.EndsWith("NotebookMl.Verbs.dll") || p.EndsWith("System.CommandLine.dll"))
            .Select(p => MetadataReference.CreateFromFile(p));
        var dll = Path.Combine(Directory.CreateTempSubdirectory("notebookml-extension-").FullName, "Shout.Extension.dll");
        var emit = CSharpCompilation.Create("Shout.Extension", [CSharpSyntaxTree.ParseText(source)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).Emit(dll);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return dll;
    }
}
