using System.Globalization;
using NotebookMl.Core.Drift.Sources;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Runner.Scheduling;

/// <summary>
/// A condition that runs a pipeline instead of a cron schedule (<c>trigger:</c> in <c>pipelines.yaml</c>): checked every
/// <see cref="CheckEvery"/> on the served traffic of <see cref="Model"/> over the last <see cref="Window"/>; after it fires it
/// rests for <see cref="Cooldown"/>, so a retraining run has time to change what is served.
/// </summary>
/// <param name="Model">NAME@ALIAS (or NAME/VERSION, or NAME: its @champion, see <see cref="ModelReference"/>): whose reference and traffic are looked at.</param>
/// <param name="Window">How much recent traffic a check looks at.</param>
/// <param name="CheckEvery">How often it is checked.</param>
/// <param name="Cooldown">How long after firing it does not fire again.</param>
public abstract record PipelineTrigger(string Model, TimeSpan Window, TimeSpan CheckEvery, TimeSpan Cooldown)
{
    /// <summary>The run trigger recorded for runs it fires.</summary>
    public abstract RunTrigger Kind { get; }

    /// <summary>Checks the condition at <paramref name="now"/> in <paramref name="workspace"/>.</summary>
    public TriggerCheck Check(WorkspaceLocation workspace, DateTimeOffset now)
    {
        var registry = ModelRegistry.Open(workspace);
        return Check(workspace, registry, registry.Resolve(Model), now);
    }

    /// <summary>
    /// Checks the condition at <paramref name="now"/>; when it fires within <see cref="Cooldown"/> of <paramref name="lastFired"/>
    /// it does not fire, and says until when it rests.
    /// </summary>
    public TriggerCheck Check(WorkspaceLocation workspace, DateTimeOffset now, DateTimeOffset? lastFired)
    {
        var check = Check(workspace, now);
        return check.Fired && lastFired is { } last && now - last < Cooldown
            ? check with { Fired = false, Reason = $"{check.Reason}; resting until {last + Cooldown:u} (cooldown after the run it fired)" }
            : check;
    }

    /// <summary>When this trigger last fired a run of <paramref name="pipeline"/>, from <paramref name="store"/>'s history.</summary>
    public DateTimeOffset? LastFired(RunHistoryStore store, string pipeline) => store.History(pipeline, 50).FirstOrDefault(r => r.Trigger == Kind)?.Started;

    /// <summary>The condition for <paramref name="version"/>.</summary>
    protected abstract TriggerCheck Check(WorkspaceLocation workspace, ModelRegistry registry, ModelVersion version, DateTimeOffset now);

    /// <summary>A number as the history shows it.</summary>
    protected static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The window as the history shows it.</summary>
    protected string Span => Core.Time.Durations.Format(Window);
}

/// <summary>
/// Fires when the largest PSI of any input between the model's reference statistics and its traffic exceeds <paramref name="MaxPsi"/>.
/// It never fires on traffic it cannot measure: an input without values, or fewer rows than a PSI needs (<see cref="MinRows"/>),
/// is a failed check that says so.
/// </summary>
public sealed record DriftTrigger(string Model, TimeSpan Window, TimeSpan CheckEvery, TimeSpan Cooldown, double MaxPsi) : PipelineTrigger(Model, Window, CheckEvery, Cooldown)
{
    /// <summary>The served rows with values each input needs before the trigger judges it (<c>min_rows</c>); null: 10 per bin or category of the input.</summary>
    public int? MinRows { get; init; }

    /// <inheritdoc/>
    public override RunTrigger Kind => RunTrigger.Drift;

    /// <inheritdoc/>
    protected override TriggerCheck Check(WorkspaceLocation workspace, ModelRegistry registry, ModelVersion version, DateTimeOffset now)
    {
        var reference = registry.ReadReference(version);
        if (reference is null)
        {
            return new TriggerCheck(false, $"{version.Uri} has no reference statistics to compare traffic with");
        }

        return TrafficDrift.Measure(workspace, version.Name, reference, now - Window, now, MinRows) switch
        {
            null => new TriggerCheck(false, $"no served traffic of {version.Name} in the last {Span}"),
            { Unmeasured: { } why } => new TriggerCheck(false, $"drift not measured: {why} in the last {Span} ({version.Uri})") { Failed = true },
            var drift => new TriggerCheck(drift.Psi > MaxPsi, $"drift: PSI {Number(drift.Psi)} on {drift.Column} {(drift.Psi > MaxPsi ? ">" : "<=")} max_psi {Number(MaxPsi)} ({version.Uri} against {drift.Rows:N0} rows served in the last {Span})"),
        };
    }
}

/// <summary>
/// Fires when a metric of the model on labeled live traffic (see <c>models feedback</c>) falls below <paramref name="Min"/>
/// or rises above <paramref name="Max"/>; <paramref name="Metric"/> is named as at registration (<c>test_auc</c>) or bare (<c>auc</c>).
/// </summary>
public sealed record PerformanceTrigger(string Model, TimeSpan Window, TimeSpan CheckEvery, TimeSpan Cooldown, string Metric, double? Min, double? Max) : PipelineTrigger(Model, Window, CheckEvery, Cooldown)
{
    /// <inheritdoc/>
    public override RunTrigger Kind => RunTrigger.Performance;

    /// <inheritdoc/>
    protected override TriggerCheck Check(WorkspaceLocation workspace, ModelRegistry registry, ModelVersion version, DateTimeOffset now)
    {
        var name = Metric.StartsWith("test_", StringComparison.Ordinal) ? Metric["test_".Length..] : Metric;
        var performance = ModelPerformance.Compute(workspace, version.Name, version.Metrics, [(now - Window, now)]);
        if (performance is null || performance.Labeled == 0)
        {
            return new TriggerCheck(false, $"no labeled answers of {version.Name} in the last {Span} (send labels with 'notebookml models feedback')");
        }

        if (!performance.Buckets[0].Metrics.TryGetValue(name, out var value))
        {
            return new TriggerCheck(false, $"metric '{name}' cannot be computed on the labeled answers; there are: {string.Join(", ", performance.Buckets[0].Metrics.Keys)}");
        }

        var fired = value < Min || value > Max;
        var bound = Min is { } min ? $"min {Number(min)}" : $"max {Number(Max!.Value)}";
        return new TriggerCheck(fired, $"performance: {Metric} {Number(value)} on {performance.Labeled:N0} labeled answers in the last {Span} ({bound}; {(fired ? "out of bounds" : "within")})");
    }
}

/// <summary>The outcome of one check: whether the trigger fired, and the statistic that decided it.</summary>
public sealed record TriggerCheck(bool Fired, string Reason)
{
    /// <summary>True when the condition could not be judged (an input without values, too little traffic): not fired, and said so.</summary>
    public bool Failed { get; init; }
}
