using System.CommandLine;
using NotebookMl.Cli.Commands;
using NotebookMl.Cli.Rendering;
using NotebookMl.Extensions.Ml.Profiling;
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
        foreach (var verb in SharedVerbs())
        {
            root.Subcommands.Add(verb.CreateCommand(output));
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
            await Terminal.FailAsync(e.Message + hint);
            return ExitCodes.BadInput;
        }
    }

    /// <summary>The verbs that are also magic commands (the ML extension's).</summary>
    private static IEnumerable<IVerb> SharedVerbs() => [new ProfileVerb(), new NotebookMl.Extensions.Ml.Tracking.RunsVerb(), new NotebookMl.Extensions.Ml.Features.FeaturesVerb(), new NotebookMl.Extensions.Ml.Training.TrainVerb()];

    private static bool IsUserError(Exception e) =>
        e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or NotebookFormatException
            or ArgumentException or UnauthorizedAccessException or InvalidOperationException or IOException
            or NotebookMl.Runner.RunnerInputException;
}
