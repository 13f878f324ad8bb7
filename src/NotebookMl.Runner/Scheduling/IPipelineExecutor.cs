namespace NotebookMl.Runner.Scheduling;

/// <summary>Runs one attempt of a pipeline. In production <see cref="NotebookPipelineExecutor"/>: the notebook runner.</summary>
public interface IPipelineExecutor
{
    /// <summary>Runs <paramref name="attempt"/>; cancellation stops it, and it then ends as interrupted.</summary>
    Task<PipelineRunOutcome> RunAsync(PipelineAttempt attempt, CancellationToken cancellationToken);
}
