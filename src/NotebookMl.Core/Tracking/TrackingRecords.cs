namespace NotebookMl.Core.Tracking;

/// <summary>One point of a metric's history.</summary>
/// <param name="Key">The metric's name.</param>
/// <param name="Value">Its value (NaN and infinities allowed).</param>
/// <param name="Step">The step (iteration, epoch) it belongs to.</param>
/// <param name="Timestamp">When it was logged.</param>
public sealed record MetricPoint(string Key, double Value, long Step, DateTimeOffset Timestamp);

/// <summary>A file stored with a run, content-addressed by its SHA-256.</summary>
/// <param name="Path">Its path within the run (e.g. <c>model/model.onnx</c>).</param>
/// <param name="Sha256">The content's SHA-256 (hex), checked on every read.</param>
/// <param name="Size">Bytes.</param>
public sealed record ArtifactInfo(string Path, string Sha256, long Size);

/// <summary>A dataset a run read: what it was and which version of it.</summary>
/// <param name="Name">A name for it (e.g. <c>training</c>, <c>flights-3m</c>).</param>
/// <param name="Digest">A digest of its content (e.g. a file's SHA-256), so two runs can tell whether they saw the same data.</param>
/// <param name="Source">Where it came from (a path, a feature view with its version, a query).</param>
/// <param name="Schema">Its columns and types, e.g. <c>date:timestamp, delay:int</c>.</param>
/// <param name="Context">Its role: training, validation, test…</param>
public sealed record DatasetInput(string Name, string Digest, string Source, string? Schema = null, string? Context = null);

/// <summary>Where a run was logged from.</summary>
/// <param name="Notebook">The notebook (path), when known.</param>
/// <param name="Cell">The cell (e.g. <c>[3]</c> or its id), when known.</param>
public sealed record RunSource(string? Notebook, string? Cell)
{
    // The tag a notebook host puts on the activity of the cell it runs (NotebookMl.Verbs.CellActivity.CellTag).
    private const string CellTag = "notebook.cell";

    /// <summary>
    /// Where code runs from now: the notebook Jupyter names (<c>JPY_SESSION_NAME</c>) and the cell whose activity
    /// (<see cref="System.Diagnostics.Activity.Current"/>, or one of its parents) a host started around it.
    /// </summary>
    public static RunSource Ambient()
    {
        var cell = default(string);
        for (var activity = System.Diagnostics.Activity.Current; activity is not null && cell is null; activity = activity.Parent)
        {
            cell = activity.GetTagItem(CellTag) as string;
        }

        return new RunSource(Environment.GetEnvironmentVariable("JPY_SESSION_NAME"), cell);
    }
}

/// <summary>A run as listed: identity, status, times, source, and its params and latest metrics.</summary>
public sealed record RunSummary(
    string Id,
    string Experiment,
    string Name,
    TrackedRunStatus Status,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>How long it ran (until now if running).</summary>
    public TimeSpan? Duration => Ended - Started;
}

/// <summary>Everything about one run.</summary>
public sealed record RunDetails(
    RunSummary Summary,
    string? GitCommit,
    bool? GitDirty,
    RunSource Source,
    string Host,
    int ProcessId,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<ArtifactInfo> Artifacts,
    IReadOnlyList<DatasetInput> Inputs);
