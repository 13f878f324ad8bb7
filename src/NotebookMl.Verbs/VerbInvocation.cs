using System.CommandLine;
using System.CommandLine.Help;

namespace NotebookMl.Verbs;

/// <summary>
/// Runs one verb from the text a user typed after its name, the same way in every host (the
/// notebookml kernel's <c>#!verb</c>, the .NET Interactive extension's <c>#!verb</c>): split as a shell
/// would, parsed by the verb's own command, invoked; every failure is one line naming the verb.
/// </summary>
public static class VerbInvocation
{
    /// <summary>The verb's command as the magic command takes it: its own options, <c>--json</c> and help.</summary>
    public static Command CreateCommand(IVerb verb, IVerbContext context, Option<bool>? json = null)
    {
        var command = verb.CreateCommand(context);
        command.Options.Add(json ?? VerbJson.CreateOption());
        if (!command.Options.OfType<HelpOption>().Any())
        {
            command.Options.Add(new HelpOption());
        }

        return command;
    }

    /// <summary>Runs <paramref name="verb"/> with <paramref name="arguments"/>; returns null when it succeeded, else the one-line error.</summary>
    public static async Task<string?> RunAsync(IVerb verb, string arguments, IVerbContext context, TextWriter output, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> tokens;
        try
        {
            tokens = ArgumentSplitter.Split(arguments);
        }
        catch (FormatException e)
        {
            return $"#!{verb.Name}: {e.Message}.";
        }

        var json = VerbJson.CreateOption();
        var command = CreateCommand(verb, context, json);
        var parse = command.Parse(tokens);
        if (parse.Errors.Count > 0)
        {
            return $"#!{verb.Name}: {ParseErrors.Describe(parse, $"#!{verb.Name}", "-h")}";
        }

        if (parse.GetValue(json))
        {
            // The same command over a context that shows results as their JSON documents.
            parse = CreateCommand(verb, VerbJson.AsJson(context)).Parse(tokens);
        }

        var configuration = new InvocationConfiguration { Output = output, Error = output, EnableDefaultExceptionHandler = false };
        try
        {
            var exitCode = await parse.InvokeAsync(configuration, cancellationToken);
            return exitCode == 0 ? null : $"#!{verb.Name} failed (exit code {exitCode}).";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"#!{verb.Name}: {OptionNames.Describe(e, verb)}";
        }
    }
}
