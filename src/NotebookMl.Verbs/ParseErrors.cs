using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace NotebookMl.Verbs;

/// <summary>
/// A command line that does not parse, as one line a person can act on, in every host: the unknown command or option and
/// the nearest valid spelling, the argument that is missing, or the value that is not of the option's kind (a whole
/// number, a number, true or false, one of the choices), and where to look for help. Never a .NET type name.
/// </summary>
public static partial class ParseErrors
{
    /// <summary>
    /// The first error of <paramref name="parse"/> as one line. <paramref name="root"/> is how the host names the top command
    /// (<c>notebookml</c>, <c>#!runs</c>); help is asked for with the command's path and <paramref name="helpFlag"/>.
    /// </summary>
    public static string Describe(ParseResult parse, string root, string helpFlag = "--help")
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var path = string.Join(" ", Path(parse.CommandResult).Skip(1).Prepend(root));
        var help = $"{path} {helpFlag}";
        // An unknown token says more than "a command is required", which comes with it.
        var error = parse.Errors.FirstOrDefault(e => Unrecognized().IsMatch(e.Message)) ?? parse.Errors[0];
        if (Unrecognized().Match(error.Message) is { Success: true } unknown)
        {
            var token = unknown.Groups["token"].Value;
            if (token.StartsWith('-'))
            {
                var options = command.Options.Concat(Ancestors(parse.CommandResult).SelectMany(c => c.Options.Where(o => o.Recursive)))
                    .SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct(StringComparer.Ordinal).ToArray();
                return $"unknown option '{token}' for '{path}'{Nearest(token, options)}; see '{help}'.";
            }

            var commands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToArray();
            return commands.Length > 0
                ? $"unknown command '{token}' for '{path}'{Nearest(token, commands)}; its commands: {string.Join(", ", commands)}."
                : $"unexpected argument '{token}' for '{path}'; see '{help}'.";
        }

        if (error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal))
        {
            return $"'{path}' needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}; see '{help}'.";
        }

        if (error.Message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            var missing = command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is not { Tokens.Count: > 0 });
            return $"'{path}' needs its {(missing is null ? "argument" : $"<{missing.Name}> argument")}{(missing?.Description is { } d ? $" ({d.TrimEnd('.')})" : "")}; see '{help}'.";
        }

        if (CannotParse().Match(error.Message) is { Success: true } value)
        {
            var name = value.Groups["name"].Value;
            var type = (command.Options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name))?.ValueType
                ?? command.Arguments.FirstOrDefault(a => a.Name == name)?.ValueType) is { } t ? Nullable.GetUnderlyingType(t) ?? t : null;
            return $"{name}: '{value.Groups["value"].Value}' is not {Kind(type)}.";
        }

        return TypeName().Replace(error.Message, "a value");
    }

    private static string Kind(Type? type) => type switch
    {
        null => "a valid value",
        { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(char) => "a single character",
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "a date or time, e.g. 2001-06-01",
        _ when type.IsArray => Kind(type.GetElementType()) + " (or several)",
        _ => "a valid value",
    };

    private static string Nearest(string token, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (Name: c, Distance: Distance(token.TrimStart('-'), c.TrimStart('-'))))
            .Where(c => c.Distance <= Math.Max(2, c.Name.TrimStart('-').Length / 3)).OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is null ? "" : $" (did you mean '{best.Name}'?)";
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    internal static int Distance(string a, string b)
    {
        var (x, y) = (a.ToLowerInvariant(), b.ToLowerInvariant());
        var row = Enumerable.Range(0, y.Length + 1).ToArray();
        for (var i = 1; i <= x.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= y.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (x[i - 1] == y[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[y.Length];
    }

    private static IEnumerable<string> Path(CommandResult result) => Ancestors(result).Reverse().Append(result.Command).Select(c => c.Name);

    private static IEnumerable<Command> Ancestors(CommandResult result)
    {
        for (var parent = result.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is CommandResult { Command: var command })
            {
                yield return command;
            }
        }
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>[^']*)' for (option|command|argument) '(?<name>[^']*)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"'?System\.[A-Za-z0-9_.`\[\]]+'?")]
    private static partial Regex TypeName();
}
