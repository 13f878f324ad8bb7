namespace NotebookMl.Runner.Scheduling;

/// <summary>One attempt to run a pipeline for one occurrence, with the folder its files go to.</summary>
/// <param name="Pipeline">The pipeline.</param>
/// <param name="ScheduledTime">The occurrence (UTC) its parameters are rendered from.</param>
/// <param name="Trigger">Why it runs.</param>
/// <param name="Attempt">1 for the first try, 2 for the first retry, …</param>
/// <param name="Folder">The run's own folder (created): executed notebook, log, parameters.</param>
public sealed record PipelineAttempt(PipelineDefinition Pipeline, DateTimeOffset ScheduledTime, RunTrigger Trigger, int Attempt, string Folder)
{
    /// <summary>The executed notebook.</summary>
    public string OutputPath => Path.Combine(Folder, Path.GetFileNameWithoutExtension(Pipeline.NotebookPath) + ".out.ipynb");

    /// <summary>The run's log.</summary>
    public string LogPath => Path.Combine(Folder, "run.log");

    /// <summary>The rendered parameters.</summary>
    public string ParametersPath => Path.Combine(Folder, "parameters.json");

    /// <summary>Creates a fresh folder under <paramref name="runsFolder"/>: <c>PIPELINE/yyyyMMddTHHmmssZ-TRIGGER-aN</c> (suffixed if taken).</summary>
    public static PipelineAttempt Create(string runsFolder, PipelineDefinition pipeline, DateTimeOffset scheduledTime, RunTrigger trigger, int attempt)
    {
        var name = $"{scheduledTime.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{trigger.ToName()}-a{attempt}";
        var folder = Path.Combine(runsFolder, pipeline.Name, name);
        for (var n = 2; Directory.Exists(folder); n++)
        {
            folder = Path.Combine(runsFolder, pipeline.Name, $"{name}-{n}");
        }

        Directory.CreateDirectory(folder);
        return new PipelineAttempt(pipeline, scheduledTime, trigger, attempt, folder);
    }
}
