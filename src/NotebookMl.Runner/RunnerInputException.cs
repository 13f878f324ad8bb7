namespace NotebookMl.Runner;

/// <summary>
/// The run's input is wrong (a file, an option, a parameter); the message says what and how, in one line. When a setting
/// would change the outcome, <see cref="Remedy"/> names it as the API does (a <see cref="RunOptions"/> property, or
/// <see cref="Scheduling.PipelineConfigurationReader.ConfigPath"/>); each host shows it under its own name.
/// </summary>
public sealed class RunnerInputException(string message, string? remedy = null) : Exception(message)
{
    /// <summary>The setting that would change the outcome (e.g. <c>AllowExtraParameters</c>), or null.</summary>
    public string? Remedy { get; } = remedy;
}
