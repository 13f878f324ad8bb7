using System.CommandLine;

namespace NotebookMl.Verbs;

/// <summary>
/// A capability defined once as a System.CommandLine command and exposed twice: as the magic
/// command <c>#!name</c> in notebooks and as <c>notebookml name</c> on the command line. Both
/// take the same options and give the same answer; only the rendering of the result differs.
/// </summary>
public interface IVerb
{
    /// <summary>The name users type after <c>#!</c> or <c>notebookml</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what the verb does.</summary>
    string Description { get; }

    /// <summary>Builds the command; its action reports results through <paramref name="context"/>.</summary>
    Command CreateCommand(IVerbContext context);

    /// <summary>
    /// The verb's flags whose names are not the kebab-case of the API option they set (the train verb's
    /// <c>--columns</c> sets <c>TrainingOptions.Features</c>); errors naming an option show these.
    /// </summary>
    IReadOnlyDictionary<string, string> RenamedOptions => new Dictionary<string, string>();
}
