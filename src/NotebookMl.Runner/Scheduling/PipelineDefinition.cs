using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Scheduling;

/// <summary>One pipeline of <c>pipelines.yaml</c>: a notebook, its parameters, and when and how it runs.</summary>
public sealed record PipelineDefinition
{
    /// <summary>The pipeline's name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>); it names its runs' folder.</summary>
    public required string Name { get; init; }

    /// <summary>The notebook, as a full path.</summary>
    public required string NotebookPath { get; init; }

    /// <summary>When it runs: its cron schedule, or for a triggered pipeline when its trigger is checked.</summary>
    public required CronSchedule Schedule { get; init; }

    /// <summary>The condition that runs it, checked on <see cref="Schedule"/>; null: it runs on every occurrence of its schedule.</summary>
    public PipelineTrigger? Trigger { get; init; }

    /// <summary>Parameter values; strings may hold <see cref="ParameterTemplate"/> placeholders.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Parameters { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>The Jupyter kernel; default: the notebook's kernelspec, then <c>notebookml-csharp</c>.</summary>
    public string? KernelName { get; init; }

    /// <summary>The kernel's working directory (full path); default: the notebook's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The longest one attempt may take.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The longest one cell may run.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>Run every cell even after one fails.</summary>
    public bool AllowErrors { get; init; }

    /// <summary>How many times a failed attempt (cell failed, kernel died, timed out) is tried again.</summary>
    public int Retries { get; init; }

    /// <summary>The wait before the first retry; it doubles for each later one.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between retries.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>What happens when it comes due while its previous run is going.</summary>
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Skip;

    /// <summary>What happens, at start, to occurrences missed while the scheduler was down.</summary>
    public CatchUpPolicy CatchUp { get; init; } = CatchUpPolicy.Latest;

    /// <summary>False: listed, triggerable by hand, but never run on schedule.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 or more): the backoff doubled per retry, capped.</summary>
    public TimeSpan BackoffBefore(int attempt)
    {
        var doubled = RetryBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 2));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, MaxRetryBackoff.TotalMilliseconds));
    }
}
