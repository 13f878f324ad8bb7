using System.CommandLine;
using NotebookMl.Cli.Commands;
using NotebookMl.Cli.Rendering;
using NotebookMl.Verbs;
using NotebookMl.Notebooks;

namespace NotebookMl.Cli;

/// <summary>The <c>notebookml</c> command tree: CLI verbs, and the same verbs the kernel offers as magic commands.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        var json = VerbJson.CreateOption();
        var output = new CliVerbContext(Terminal.Out);
        var root = new RootCommand("NotebookMl: C# notebooks for the whole ML lifecycle.") { json };
        root.Subcommands.Add(InitCommand.Create(output));
        root.Subcommands.Add(KernelCommands.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DescribeCommand.Create(output));
        root.Subcommands.Add(ScheduleCommands.Create(output));
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StoreCommands.Create(output));
        var verbs = new Dictionary<Command, IVerb>();
        foreach (var verb in NotebookMl.Extensions.Ml.MlVerbs.Create())
        {
            var command = verb.CreateCommand(output);
            verbs[command] = verb;
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(DocsCommand.Create(root));
        if (args.Length == 0)
        {
            // Nothing asked: what there is to ask.
            return await root.Parse(["--help"]).InvokeAsync();
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A typo is bad input (2), never "the check failed" (1): one line, the nearest spelling, where help is.
            await Terminal.FailAsync(ParseErrors.Describe(parse, "notebookml"));
            return ExitCodes.BadInput;
        }

        output.Json = parse.GetValue(json);
        // Ctrl-C and SIGTERM cancel the command's token; the command stops cleanly and saves what it has
        // (a run its notebook so far, training the model so far). `schedule run` handles them itself, and
        // `kernel start` takes SIGINT as an interrupt of the running cell (interrupt_mode: signal).
        using var signals = ScheduleCommands.HandlesSignals(parse) || KernelCommands.HandlesSignals(parse) ? null : new SignalCancellation();
        try
        {
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(configuration, signals?.Token ?? CancellationToken.None);
        }
        catch (OperationCanceledException) when (signals?.IsCancellationRequested == true)
        {
            await Terminal.FailAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (NotebookMl.Core.Storage.StoreErrors.Describe(e) is { } refusal)
        {
            // The store refused the work (a read-only role, a server out of reach): the work failed, the input did not.
            await Terminal.FailAsync(refusal);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (IsUserError(e))
        {
            var hint = e is NotebookMl.Core.Workspaces.WorkspaceNotFoundException { FromHome: false } ? "; 'notebookml init' creates one here" : "";
            await Terminal.FailAsync((RunnerFlags.Describe(e) ?? OptionNames.Describe(e, VerbOf(parse.CommandResult, verbs))) + hint);
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
