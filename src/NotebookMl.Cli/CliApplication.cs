using System.CommandLine;
using NotebookMl.Cli.Commands;
using NotebookMl.Cli.Rendering;
using NotebookMl.Kernel.Verbs;
using NotebookMl.Notebooks;

namespace NotebookMl.Cli;

/// <summary>The <c>notebookml</c> command tree: CLI verbs, and the same verbs the kernel offers as magic commands.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var json = new Option<bool>("--json") { Description = "Write results as JSON instead of text tables.", Recursive = true };
        var output = new CliVerbContext(Terminal.Out);
        var root = new RootCommand("NotebookMl: C# notebooks for the whole ML lifecycle.") { json };
        root.Subcommands.Add(InitCommand.Create(output));
        root.Subcommands.Add(KernelCommands.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DescribeCommand.Create(output));
        root.Subcommands.Add(ScheduleCommands.Create(output));
        var verbs = new Dictionary<Command, IVerb>();
        foreach (var verb in NotebookMl.Extensions.Ml.MlVerbs.Create())
        {
            var command = verb.CreateCommand(output);
            verbs[command] = verb;
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        output.Json = parse.GetValue(json);
        try
        {
            // `schedule run` handles SIGTERM/Ctrl-C itself: System.CommandLine would end the process 2 s after the signal, cutting the grace period.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (ScheduleCommands.HandlesSignals(parse))
            {
                configuration.ProcessTerminationTimeout = null;
            }
            else if (parse.CommandResult.Command.Name == "train")
            {
                // Ctrl-C stops training between batches; evaluating, saving and exporting what was trained takes a while.
                configuration.ProcessTerminationTimeout = TimeSpan.FromMinutes(2);
            }

            return await parse.InvokeAsync(configuration);
        }
        catch (Exception e) when (IsUserError(e))
        {
            var hint = e is NotebookMl.Core.Workspaces.WorkspaceNotFoundException ? "; 'notebookml init' creates one here" : "";
            await Terminal.FailAsync(OptionNames.Describe(e, VerbOf(parse.CommandResult, verbs)) + hint);
            return ExitCodes.BadInput;
        }
    }

    private static IVerb? VerbOf(System.CommandLine.Parsing.SymbolResult? result, Dictionary<Command, IVerb> verbs)
    {
        for (; result is not null; result = result.Parent)
        {
            if (result is System.CommandLine.Parsing.CommandResult { Command: var command } && verbs.TryGetValue(command, out var verb))
            {
                return verb;
            }
        }

        return null;
    }

    private static bool IsUserError(Exception e) =>
        e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or NotebookFormatException
            or ArgumentException or UnauthorizedAccessException or InvalidOperationException or IOException
            or NotebookMl.Runner.RunnerInputException or NotebookMl.Runner.Parameters.ParameterException;
}
