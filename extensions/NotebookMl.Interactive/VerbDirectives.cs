using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using InteractiveKernel = Microsoft.DotNet.Interactive.Kernel;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using NotebookMl.Verbs;

namespace NotebookMl.Interactive;

/// <summary>
/// A verb as a .NET Interactive magic command. .NET Interactive parses magic lines itself, so the
/// directive declares the verb's subcommands, options (and their aliases) and argument; the handler
/// then hands the line as the user typed it to <see cref="VerbInvocation"/>, the same parse and run as
/// the notebookml kernel's, so both hosts accept the same options and give the same answers.
/// </summary>
internal sealed class VerbDirectives(IReadOnlyList<IVerb> verbs)
{
    // The lines of each submission that name one of the verbs, taken in order as their directives run:
    // .NET Interactive runs a cell's directives in order, and keeps one handler per command type.
    private readonly ConditionalWeakTable<KernelCommand, Queue<string>> _lines = new();

    /// <summary>Declares every verb as a directive of <paramref name="kernel"/>, all handled by <see cref="RunNextAsync"/>.</summary>
    public void AddTo(InteractiveKernel kernel)
    {
        foreach (var verb in verbs)
        {
            var command = VerbInvocation.CreateCommand(verb, new InteractiveVerbContext(null, null));
            var directive = Directive("#!" + verb.Name, command);
            foreach (var subcommand in command.Subcommands)
            {
                directive.Subcommands.Add(Directive(subcommand.Name, subcommand));
            }

            kernel.AddDirective<VerbDirectiveCommand>(directive, (_, context) => RunNextAsync(context));
            foreach (var subcommand in directive.Subcommands)
            {
                kernel.AddDirective<VerbDirectiveCommand>(subcommand, (_, context) => RunNextAsync(context));
            }
        }
    }

    private static KernelActionDirective Directive(string name, Command command)
    {
        var directive = new KernelActionDirective(name) { Description = command.Description };
        foreach (var option in command.Options.Where(o => o is not HelpOption))
        {
            foreach (var alias in new[] { option.Name }.Concat(option.Aliases))
            {
                directive.Parameters.Add(new KernelDirectiveParameter(alias, option.Description) { Flag = option.ValueType == typeof(bool) });
            }
        }

        foreach (var help in new[] { "-h", "--help", "-?" })
        {
            directive.Parameters.Add(new KernelDirectiveParameter(help, "Show help and usage information") { Flag = true });
        }

        if (command.Arguments.FirstOrDefault() is { } argument)
        {
            directive.Parameters.Add(new KernelDirectiveParameter("--" + argument.Name, argument.Description) { AllowImplicitName = true });
        }

        return directive;
    }

    private async Task RunNextAsync(KernelInvocationContext context)
    {
        var submission = Root(context.Command);
        var code = (submission as SubmitCode)?.Code ?? "";
        var lines = _lines.GetValue(submission, _ => new Queue<string>(code.Split('\n').Select(l => l.Trim()).Where(l => verbs.Any(v => IsLineOf(l, v.Name)))));
        if (!lines.TryDequeue(out var line))
        {
            context.Fail(context.Command, message: "NotebookMl: the magic command's line was not found in the cell.");
            return;
        }

        var verb = verbs.First(v => IsLineOf(line, v.Name));
        var verbContext = new InteractiveVerbContext(context, context.Command);
        using var output = new StringWriter();
        var error = await VerbInvocation.RunAsync(verb, line[(verb.Name.Length + 2)..], verbContext, output, context.CancellationToken);
        if (output.ToString() is { Length: > 0 } text)
        {
            verbContext.WriteLine(text.TrimEnd('\n'));
        }

        if (error is not null)
        {
            context.Fail(context.Command, message: error);
        }
    }

    private static bool IsLineOf(string line, string name) =>
        line.StartsWith("#!" + name, StringComparison.Ordinal) && (line.Length == name.Length + 2 || char.IsWhiteSpace(line[name.Length + 2]));

    private static KernelCommand Root(KernelCommand command)
    {
        while (command.Parent is { } parent)
        {
            command = parent;
        }

        return command;
    }
}

/// <summary>The command .NET Interactive creates for a verb's magic line; the handler reads the line itself.</summary>
public sealed class VerbDirectiveCommand : KernelDirectiveCommand;
