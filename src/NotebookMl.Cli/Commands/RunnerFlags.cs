using NotebookMl.Core.Options;
using NotebookMl.Runner;
using NotebookMl.Runner.Scheduling;

namespace NotebookMl.Cli.Commands;

/// <summary>
/// The runner's settings under their command-line names: <see cref="RunOptions"/>' properties as <c>run</c>'s flags, and
/// what a flag would change when the runner says a setting would (<see cref="RunnerInputException.Remedy"/>).
/// </summary>
internal static class RunnerFlags
{
    private static readonly Dictionary<string, string> s_flags = new(StringComparer.Ordinal)
    {
        [nameof(RunOptions.NotebookPath)] = "NOTEBOOK",
        [nameof(RunOptions.OutputPath)] = "--output",
        [nameof(RunOptions.Parameters)] = "--parameters",
        [nameof(RunOptions.ParametersFile)] = "--parameters-file",
        [nameof(RunOptions.WorkingDirectory)] = "--cwd",
        [nameof(RunOptions.CellTimeout)] = "--cell-timeout",
        [nameof(RunOptions.Timeout)] = "--timeout",
    };

    private static readonly Dictionary<string, string> s_remedies = new(StringComparer.Ordinal)
    {
        [nameof(RunOptions.AllowExtraParameters)] = "--allow-extra injects it anyway",
        [nameof(RunOptions.KernelName)] = "--kernel NAME picks another",
        [PipelineConfigurationReader.ConfigPath] = "--config FILE names another",
    };

    /// <summary>The message of <paramref name="error"/> with the runner's setting named as its flag, or null when it names none.</summary>
    public static string? Describe(Exception error) => error switch
    {
        RunnerInputException { Remedy: { } remedy } when s_remedies.TryGetValue(remedy, out var hint) => $"{error.Message.TrimEnd('.')}; {hint}.",
        InvalidOptionException { Option: var option, TargetSite.DeclaringType: var thrower } e when thrower == typeof(RunOptions) && s_flags.TryGetValue(option, out var flag) => $"{flag}: {e.Reason}",
        _ => null,
    };
}
