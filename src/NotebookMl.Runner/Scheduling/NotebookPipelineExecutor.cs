using System.Text.Json;
using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// Runs a pipeline attempt with <see cref="NotebookRunner"/>: parameters rendered for the occurrence and
/// saved as <c>parameters.json</c>, the executed notebook and <c>run.log</c> in the attempt's folder.
/// </summary>
public sealed class NotebookPipelineExecutor(TimeProvider timeProvider, KernelSpec? builtInKernel, IReadOnlyList<string>? jupyterPaths = null) : IPipelineExecutor
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <inheritdoc />
    public async Task<PipelineRunOutcome> RunAsync(PipelineAttempt attempt, CancellationToken cancellationToken)
    {
        var pipeline = attempt.Pipeline;
        await using var log = new RunLogObserver(attempt.LogPath, timeProvider);
        log.Line($"pipeline {pipeline.Name}: {pipeline.NotebookPath}");
        log.Line($"scheduled {attempt.ScheduledTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({pipeline.Schedule.Text}, {pipeline.Schedule.TimeZone.Id}), trigger {attempt.Trigger.ToName()}, attempt {attempt.Attempt}");
        var parameters = ParameterTemplate.Render(pipeline.Parameters, pipeline.Name, attempt.ScheduledTime, pipeline.Schedule.TimeZone, attempt.Trigger);
        await File.WriteAllTextAsync(attempt.ParametersPath, parameters.ToJsonString(s_json), cancellationToken);
        log.Line($"parameters {parameters.ToJsonString()}");
        var options = new RunOptions
        {
            NotebookPath = pipeline.NotebookPath,
            OutputPath = attempt.OutputPath,
            ParametersFile = parameters.Count > 0 ? attempt.ParametersPath : null,
            KernelName = pipeline.KernelName,
            WorkingDirectory = pipeline.WorkingDirectory,
            Timeout = pipeline.Timeout,
            CellTimeout = pipeline.CellTimeout,
            AllowErrors = pipeline.AllowErrors,
            BuiltInKernel = builtInKernel,
            JupyterPaths = jupyterPaths,
            // What the run changes in the registry is recorded as this pipeline's doing, not a user's.
            KernelEnvironment = new Dictionary<string, string>
            {
                [NotebookMl.Core.Registry.RegistryActor.PipelineVariable] = pipeline.Name,
                [NotebookMl.Core.Registry.RegistryActor.ScheduledTimeVariable] = attempt.ScheduledTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        PipelineRunOutcome outcome;
        try
        {
            var result = await new NotebookRunner(timeProvider).RunAsync(options, log, cancellationToken);
            outcome = new PipelineRunOutcome(PipelineRunStatusNames.FromRun(result.Status), result.ExitCode, result.Message);
        }
        catch (RunnerInputException e)
        {
            outcome = new PipelineRunOutcome(PipelineRunStatus.BadInput, RunResult.BadInputExitCode, e.Message);
        }

        log.Line($"{outcome.Status.ToName()} (exit code {outcome.ExitCode}){(outcome.Message is { } m ? ": " + m : "")}");
        return outcome;
    }
}
