using System.CommandLine;
using System.Globalization;
using System.Text;
using NotebookMl.Cli.Rendering;

namespace NotebookMl.Cli.Commands;

/// <summary>
/// <c>notebookml docs --out docs/cli.md</c>: every verb, argument and option of the command tree as Markdown, generated from
/// the tree itself, so the reference cannot drift from what the CLI accepts (a test regenerates it and compares).
/// </summary>
internal static class DocsCommand
{
    public static Command Create(RootCommand root)
    {
        var output = new Option<string?>("--out") { Description = "Write the reference to this file (default: the terminal).", HelpName = "FILE" };
        var command = new Command("docs", "Write the reference of every verb and option (docs/cli.md) from the command tree.") { output };
        command.SetAction(parse =>
        {
            var markdown = Reference(root);
            if (parse.GetValue(output) is { } path)
            {
                File.WriteAllText(path, markdown);
                Terminal.Out.WriteLine($"Wrote {Path.GetFullPath(path)}");
            }
            else
            {
                Terminal.Out.Write(markdown);
            }
        });
        return command;
    }

    /// <summary>The Markdown reference of <paramref name="root"/>'s tree.</summary>
    public static string Reference(RootCommand root)
    {
        var text = new StringBuilder()
            .AppendLine("# notebookml command reference")
            .AppendLine()
            .AppendLine("Generated from the command tree by `notebookml docs --out docs/cli.md`; do not edit by hand (a test regenerates it and")
            .AppendLine("compares). The same verbs run as magic commands in a notebook (`#!runs list …`); see [kernel.md](kernel.md).")
            .AppendLine()
            .AppendLine("Exit codes: 0 done; 1 the check failed (a gate, `--fail-on-drift`, a failed cell); 2 bad input (an unknown")
            .AppendLine("verb or option, a missing file, a value out of range), one line on stderr; 4 a run passed its time limit;")
            .AppendLine("130 interrupted (Ctrl-C or SIGTERM).")
            .AppendLine()
            .AppendLine(Options(root.Options, "Options of every verb"))
            .AppendLine("## Verbs")
            .AppendLine();
        foreach (var (path, command) in Walk(root, "notebookml"))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- [`{path}`](#{Anchor(path)})");
        }

        text.AppendLine();
        foreach (var (path, command) in Walk(root, "notebookml"))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {path}").AppendLine().AppendLine(command.Description).AppendLine();
            text.AppendLine("```text").AppendLine(Usage(path, command)).AppendLine("```").AppendLine();
            var arguments = command.Arguments.Where(a => !a.Hidden).ToArray();
            if (arguments.Length > 0)
            {
                text.AppendLine("| argument | description |").AppendLine("| --- | --- |");
                foreach (var argument in arguments)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"| `{argument.Name.ToUpperInvariant()}` | {Cell(argument.Description)}{Default(argument.HasDefaultValue ? argument.GetDefaultValue() : null)} |");
                }

                text.AppendLine();
            }

            if (command.Options.Any(o => !o.Hidden))
            {
                text.AppendLine(Options(command.Options, null));
            }
        }

        return text.ToString().TrimEnd() + "\n";
    }

    private static IEnumerable<(string Path, Command Command)> Walk(Command command, string path)
    {
        foreach (var child in command.Subcommands.Where(c => !c.Hidden).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var childPath = path + " " + child.Name;
            if (child.Action is not null || child.Subcommands.Count == 0)
            {
                yield return (childPath, child);
            }

            foreach (var nested in Walk(child, childPath))
            {
                yield return nested;
            }
        }
    }

    private static string Options(IEnumerable<Option> options, string? title)
    {
        var shown = options.Where(o => !o.Hidden && o.Name is not ("--help" or "--version")).ToArray();
        var text = new StringBuilder();
        if (title is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{title}:").AppendLine();
        }

        text.AppendLine("| option | description |").AppendLine("| --- | --- |");
        foreach (var option in shown)
        {
            var names = string.Join(", ", option.Aliases.Prepend(option.Name).Distinct().OrderByDescending(n => n.Length).Select(n => $"`{n}`"));
            var value = option.ValueType == typeof(bool) ? "" : $" {option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant()}";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {names}{value} | {(option.Required ? "Required. " : "")}{Cell(option.Description)}{Default(option.HasDefaultValue && option.ValueType != typeof(bool) ? option.GetDefaultValue() : null)} |");
        }

        return text.ToString();
    }

    private static string Usage(string path, Command command) =>
        string.Join(' ', new[] { path }
            .Concat(command.Arguments.Where(a => !a.Hidden).Select(a => a.Arity.MinimumNumberOfValues == 0 ? $"[{a.Name.ToUpperInvariant()}]" : a.Arity.MaximumNumberOfValues > 1 ? $"{a.Name.ToUpperInvariant()}…" : a.Name.ToUpperInvariant()))
            .Concat(command.Options.Any(o => !o.Hidden && o.Name is not "--help") ? ["[options]"] : []));

    private static string Default(object? value) => value switch
    {
        null => "",
        string { Length: 0 } => "",
        System.Collections.IEnumerable and not string => "",
        IFormattable number => $" Default: `{number.ToString(null, CultureInfo.InvariantCulture)}`.",
        _ => $" Default: `{value}`.",
    };

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Anchor(string path) => path.Replace(' ', '-').ToLowerInvariant();
}
