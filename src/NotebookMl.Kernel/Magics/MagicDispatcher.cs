using System.CommandLine;
using System.CommandLine.Help;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Verbs;

namespace NotebookMl.Kernel.Magics;

/// <summary>Finds, parses and runs magic commands; every failure becomes a one-line <see cref="CommandFailed"/>.</summary>
internal sealed class MagicDispatcher
{
    private readonly Dictionary<string, IVerb> _verbs = new(StringComparer.Ordinal);

    public IReadOnlyList<IVerb> Verbs => _verbs.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToArray();

    public void Add(IVerb verb) => _verbs[verb.Name] = verb;

    /// <summary>Runs <paramref name="magic"/>; returns the failure, or null when it succeeded.</summary>
    public async Task<CommandFailed?> RunAsync(MagicLine magic, KernelVerbContext context, TextWriter output, CancellationToken cancellationToken)
    {
        if (!_verbs.TryGetValue(magic.Name, out var verb))
        {
            return Fail($"Unknown magic command '#!{magic.Name}'. Valid magic commands: {string.Join(", ", Verbs.Select(v => "#!" + v.Name))}.");
        }

        IReadOnlyList<string> arguments;
        try
        {
            arguments = ArgumentSplitter.Split(magic.Arguments);
        }
        catch (FormatException e)
        {
            return Fail($"#!{magic.Name}: {e.Message}.");
        }

        var command = verb.CreateCommand(context);
        if (!command.Options.OfType<HelpOption>().Any())
        {
            command.Options.Add(new HelpOption());
        }

        var parse = command.Parse(arguments);
        if (parse.Errors.Count > 0)
        {
            var valid = string.Join(", ", command.Options.Select(o => o.Name).Order(StringComparer.Ordinal));
            return Fail($"#!{magic.Name}: {parse.Errors[0].Message} Valid options: {valid}. Run '#!{magic.Name} -h' for help.");
        }

        var configuration = new InvocationConfiguration { Output = output, Error = output, EnableDefaultExceptionHandler = false };
        try
        {
            var exitCode = await parse.InvokeAsync(configuration, cancellationToken);
            return exitCode == 0 ? null : Fail($"#!{magic.Name} failed (exit code {exitCode}).");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail($"#!{magic.Name}: {OptionNames.Describe(e, verb)}");
        }
    }

    /// <summary>Help as a notebook user types the command: <c>Usage: #!time</c>, not <c>Usage: time</c>.</summary>
    public static string AsMagicHelp(string help, string name) =>
        help.Replace($"Usage:\n  {name}", $"Usage:\n  #!{name}", StringComparison.Ordinal)
            .Replace($"Usage:\r\n  {name}", $"Usage:\r\n  #!{name}", StringComparison.Ordinal);

    private static CommandFailed Fail(string message) => new("MagicCommandError", message, []);
}
