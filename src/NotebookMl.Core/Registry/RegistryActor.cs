namespace NotebookMl.Core.Registry;

/// <summary>
/// Who changed the registry: <c>user@host</c>, or the pipeline and its scheduled time when a scheduled
/// run did it (the scheduler sets <c>NOTEBOOKML_PIPELINE</c> and <c>NOTEBOOKML_SCHEDULED_TIME</c> for its runs).
/// </summary>
public static class RegistryActor
{
    /// <summary>The pipeline whose run this process is, set by the scheduler.</summary>
    public const string PipelineVariable = "NOTEBOOKML_PIPELINE";

    /// <summary>The scheduled time of that run.</summary>
    public const string ScheduledTimeVariable = "NOTEBOOKML_SCHEDULED_TIME";

    /// <summary>The actor of this process.</summary>
    public static string Current() =>
        Environment.GetEnvironmentVariable(PipelineVariable) is { Length: > 0 } pipeline
            ? $"pipeline {pipeline}" + (Environment.GetEnvironmentVariable(ScheduledTimeVariable) is { Length: > 0 } time ? $" ({time})" : "")
            : $"{Environment.UserName}@{Environment.MachineName}";
}
