using NotebookMl.Core.Workspaces;

namespace NotebookMl.Runner.Scheduling;

/// <summary>A <c>pipelines.yaml</c> file read and checked: its pipelines and where their runs go.</summary>
public sealed record PipelineConfiguration
{
    /// <summary>The default file name, looked for in the working directory, then the workspace root.</summary>
    public const string DefaultFileName = "pipelines.yaml";

    /// <summary>The file it was read from (full path).</summary>
    public required string Path { get; init; }

    /// <summary>The workspace whose store holds the run history (found from the file's folder).</summary>
    public required WorkspaceLocation Workspace { get; init; }

    /// <summary>The pipelines, in file order.</summary>
    public required IReadOnlyList<PipelineDefinition> Pipelines { get; init; }

    /// <summary>Where each run's folder goes: <c>RUNS/PIPELINE/TIME-aN/</c>. Default: <c>.notebookml/runs</c>.</summary>
    public required string RunsFolder { get; init; }

    /// <summary>How long running pipelines may go on after SIGTERM/Ctrl-C before they are stopped.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The pipeline named <paramref name="name"/>; an unknown name is a clear error listing the known ones.</summary>
    public PipelineDefinition Find(string name) =>
        Pipelines.FirstOrDefault(p => p.Name == name)
        ?? throw new RunnerInputException($"{Path}: no pipeline named '{name}'; pipelines: {string.Join(", ", Pipelines.Select(p => p.Name))}.");
}
