using NotebookMl.Kernel.Events;
using NotebookMl.Verbs;

namespace NotebookMl.Kernel.Magics;

/// <summary>Finds, parses and runs magic commands; every failure becomes a one-line <see cref="CommandFailed"/>.</summary>
internal sealed class MagicDispatcher
{
    // Polyglot Notebooks' kernels and magic commands that only .NET Interactive has.
    private static readonly HashSet<string> s_dotnetInteractiveOnly = new(StringComparer.Ordinal)
    {
        "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "sql", "kql", "mermaid", "http", "value", "set", "share", "connect", "import", "log",
    };

    private readonly Dictionary<string, IVerb> _verbs = new(StringComparer.Ordinal);

    public IReadOnlyList<IVerb> Verbs => _verbs.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToArray();

    public void Add(IVerb verb) => _verbs[verb.Name] = verb;

    /// <summary>Runs <paramref name="magic"/>; returns the failure, or null when it succeeded.</summary>
    public async Task<CommandFailed?> RunAsync(MagicLine magic, KernelVerbContext context, TextWriter output, CancellationToken cancellationToken)
    {
        if (!_verbs.TryGetValue(magic.Name, out var verb) && s_dotnetInteractiveOnly.Contains(magic.Name))
        {
            return Fail($"#!{magic.Name} needs .NET Interactive's kernel (Polyglot Notebooks, the .net-csharp Jupyter kernel, or 'notebookml run --kernel .net-csharp'); the notebookml-csharp kernel runs C# and NotebookMl's magic commands only.");
        }

        if (verb is null)
        {
            return Fail($"Unknown magic command '#!{magic.Name}'. Valid magic commands: {string.Join(", ", Verbs.Select(v => "#!" + v.Name))}.");
        }

        return await VerbInvocation.RunAsync(verb, magic.Arguments, context, output, cancellationToken) is { } error ? Fail(error) : null;
    }

    /// <summary>Help as a notebook user types the command: <c>Usage: #!time</c>, not <c>Usage: time</c>.</summary>
    public static string AsMagicHelp(string help, string name) =>
        help.Replace($"Usage:\n  {name}", $"Usage:\n  #!{name}", StringComparison.Ordinal)
            .Replace($"Usage:\r\n  {name}", $"Usage:\r\n  #!{name}", StringComparison.Ordinal);

    private static CommandFailed Fail(string message) => new("MagicCommandError", message, []);
}
