using System.Text;

namespace NotebookMl.Verbs;

/// <summary>
/// How a host shows an error about an API option: Core and Training throw an ArgumentException whose
/// <c>ParamName</c> is the option (<c>TestFraction</c>) and whose message starts with it; a verb's
/// host shows the flag instead (<c>--test-fraction</c>, or the verb's own name for it).
/// </summary>
public static class OptionNames
{
    /// <summary>The flag for <paramref name="option"/>: the verb's renaming, else the kebab-case flag.</summary>
    public static string Flag(string option, IReadOnlyDictionary<string, string>? renamed = null)
    {
        if (renamed is not null && renamed.TryGetValue(option, out var flag))
        {
            return flag;
        }

        var kebab = new StringBuilder("--");
        for (var i = 0; i < option.Length; i++)
        {
            if (char.IsUpper(option[i]) && i > 0)
            {
                kebab.Append('-');
            }

            kebab.Append(char.ToLowerInvariant(option[i]));
        }

        return kebab.ToString();
    }

    /// <summary>The message of <paramref name="error"/>, with a leading option name shown as the verb's flag.</summary>
    public static string Describe(Exception error, IVerb? verb)
    {
        ArgumentNullException.ThrowIfNull(error);
        // An ArgumentException's message ends with " (Parameter 'name')": the name says nothing to a user.
        var message = error is ArgumentException { ParamName: { Length: > 0 } name } && error.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? error.Message[..^$" (Parameter '{name}')".Length]
            : error.Message;
        if (error is ArgumentException { ParamName: { Length: > 0 } option } && message.StartsWith(option + ": ", StringComparison.Ordinal))
        {
            return Flag(option, verb?.RenamedOptions) + message[option.Length..];
        }

        return message;
    }
}
