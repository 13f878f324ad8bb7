using NotebookMl.Jupyter.Logging;
using NotebookMl.Cli.Rendering;
using System.CommandLine;
using NotebookMl.Extensions.Ml;
using NotebookMl.Jupyter;
using NotebookMl.Jupyter.KernelSpecs;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Extensions;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml kernel install|start</c>.</summary>
internal static class KernelCommands
{
    /// <summary>True for <c>kernel start</c>: the kernel takes SIGINT as an interrupt and SIGTERM as shutdown itself.</summary>
    public static bool HandlesSignals(ParseResult parse) =>
        parse.CommandResult.Command.Name == "start" && parse.CommandResult.Parent is System.CommandLine.Parsing.CommandResult { Command.Name: "kernel" };

    public static Command Create()
    {
        var kernel = new Command("kernel", "Install or start the NotebookMl Jupyter kernel.");
        kernel.Subcommands.Add(Install());
        kernel.Subcommands.Add(Start());
        return kernel;
    }

    // .tools/dotnet-interactive in the workspace or repository (./build.sh installs it there), else the tool on PATH.
    private static string FindDotnetInteractive()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            var tool = Path.Combine(folder.FullName, ".tools", "dotnet-interactive");
            if (File.Exists(tool))
            {
                return tool;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet-interactive")).FirstOrDefault(File.Exists)
            ?? Path.Combine(Environment.CurrentDirectory, ".tools", "dotnet-interactive");
    }

    private static Command Install()
    {
        var user = new Option<bool>("--user") { Description = "Install for the current user (~/.local/share/jupyter/kernels)." };
        var prefix = new Option<string?>("--prefix") { Description = "Install into DIR/share/jupyter/kernels.", HelpName = "DIR" };
        var sysPrefix = new Option<bool>("--sys-prefix") { Description = "Install into the prefix of the Python that runs jupyter." };
        var name = new Option<string>("--name") { Description = "The kernelspec name.", DefaultValueFactory = _ => KernelSpecInstaller.DefaultName };
        var dotnetInteractive = new Option<string?>("--dotnet-interactive")
        {
            Description = "Instead, install .NET Interactive's '.net-csharp' kernelspec for the dotnet-interactive tool at PATH (default: .tools/dotnet-interactive, as ./build.sh installs it, else on PATH).",
            HelpName = "PATH",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("install", "Install the kernelspec so Jupyter and VS Code can start this kernel.") { user, prefix, sysPrefix, name, dotnetInteractive };
        command.Validators.Add(result =>
        {
            var chosen = new[] { result.GetValue(user), result.GetValue(prefix) is not null, result.GetValue(sysPrefix) }.Count(b => b);
            if (chosen > 1)
            {
                result.AddError("Choose at most one of --user, --prefix DIR and --sys-prefix.");
            }
        });
        command.SetAction(parse =>
        {
            var location = parse.GetValue(user) ? KernelSpecLocation.User
                : parse.GetValue(prefix) is not null ? KernelSpecLocation.Prefix
                : parse.GetValue(sysPrefix) ? KernelSpecLocation.SysPrefix
                : KernelSpecLocation.System;
            if (parse.GetResult(dotnetInteractive) is not null)
            {
                var tool = parse.GetValue(dotnetInteractive) ?? FindDotnetInteractive();
                var dotnetFolder = KernelSpecInstaller.InstallDotnetInteractive(tool, location, parse.GetValue(prefix));
                Terminal.Out.WriteLine($"Installed kernelspec {KernelSpecInstaller.DotnetInteractiveName} ({tool}) in {dotnetFolder}");
                return;
            }

            var folder = KernelSpecInstaller.Install(KernelExecutable(), location, parse.GetValue(prefix), parse.GetValue(name)!);
            Terminal.Out.WriteLine($"Installed kernelspec {parse.GetValue(name)} in {folder}");
        });
        return command;
    }

    private static Command Start()
    {
        var connectionFile = new Option<string>("--connection-file", "-f") { Description = "The Jupyter connection file.", Required = true };
        var command = new Command("start", "Start the kernel for a Jupyter front-end (Jupyter runs this from the kernelspec).") { connectionFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var connection = ConnectionInfo.Read(parse.GetValue(connectionFile)!);
            var log = KernelLog.StandardError(TimeProvider.System);
            var kernel = new CSharpKernel();
            await kernel.LoadExtensionAsync(new VerbExtension(MlVerbs.Create, MlVerbs.CellAssemblies, MlFormatters.Register), cancellationToken);
            foreach (var path in ExtraExtensionAssemblies())
            {
                foreach (var extension in ExtensionLoader.FromAssemblyFile(path))
                {
                    await kernel.LoadExtensionAsync(extension, cancellationToken);
                }
            }

            await new JupyterKernelHost(connection, kernel, log).RunAsync(cancellationToken);
        });
        return command;
    }

    // NOTEBOOKML_EXTENSIONS: extension assemblies (or folders of them) to load into every kernel.
    private static IEnumerable<string> ExtraExtensionAssemblies() =>
        (Environment.GetEnvironmentVariable("NOTEBOOKML_EXTENSIONS") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*.dll") : [p]);

    // The built executable itself, never `dotnet run`: a kernel must start in about a second.
    private static IReadOnlyList<string> KernelExecutable()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell where notebookml is installed.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(KernelCommands).Assembly.Location]
            : [process];
    }
}
