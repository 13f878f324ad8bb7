using NotebookMl.Core.Drift.Sources;

namespace NotebookMl.Core.Registry;

/// <summary>
/// The drift gate (<c>max_drift</c>): the largest PSI of any model input between the candidate's own training data (its
/// reference statistics) and the traffic the model's endpoint served over the last day (the prediction log). A candidate
/// trained on data unlike today's traffic is refused; so is one without reference statistics, or when there is no traffic
/// to compare with (the gate fails closed rather than passing unmeasured).
/// </summary>
internal sealed class DriftGate(double maxDrift, TimeSpan? window) : IPromotionGate
{
    /// <summary>How much recent traffic the gate compares with unless the policy says otherwise.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    private readonly TimeSpan _window = window ?? DefaultWindow;

    public IEnumerable<GateResult> Check(PromotionCandidate candidate)
    {
        var gate = $"drift<={MetricGates.Number(maxDrift)} (PSI)";
        var (registry, version) = (candidate.Registry, candidate.Version);
        var reference = registry.ReadReference(version);
        if (reference is null)
        {
            yield return new GateResult(gate, $"{version.Uri} has no reference statistics to compare traffic with; register it from a training run", false);
            yield break;
        }

        var now = registry.TimeProvider.GetUtcNow();
        var span = Time.Durations.Format(_window);
        if (TrafficDrift.Measure(registry.Workspace, version.Name, reference, now - _window, now) is not { } drift)
        {
            yield return new GateResult(gate, $"no served traffic of {version.Name} in the prediction log over the last {span} to compare with", false);
            yield break;
        }

        yield return new GateResult(gate, $"PSI {MetricGates.Number(drift.Psi)} on {drift.Column} (largest of {drift.Inputs} inputs) against {drift.Rows:N0} rows served in the last {span}", drift.Psi <= maxDrift);
    }
}
