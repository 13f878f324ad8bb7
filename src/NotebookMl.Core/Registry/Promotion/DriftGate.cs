using NotebookMl.Core.Drift.Sources;

namespace NotebookMl.Core.Registry;

/// <summary>
/// The drift gate (<c>max_drift</c>): the largest PSI of any model input between the candidate's own training data (its
/// reference statistics) and the traffic the model's endpoint served over the last day (the prediction log). A candidate
/// trained on data unlike today's traffic is refused; so is one without reference statistics, or when there is no traffic
/// to compare with (the gate fails closed rather than passing unmeasured).
/// </summary>
internal sealed class DriftGate(double maxDrift) : IPromotionGate
{
    /// <summary>How much recent traffic the gate compares with.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

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
        if (TrafficDrift.Measure(registry.Workspace, version.Name, reference, now - Window, now) is not { } drift)
        {
            yield return new GateResult(gate, $"no served traffic of {version.Name} in the prediction log over the last 24 h to compare with", false);
            yield break;
        }

        yield return new GateResult(gate, $"PSI {MetricGates.Number(drift.Psi)} on {drift.Column} (largest of {drift.Inputs} inputs) against {drift.Rows:N0} rows served in the last 24 h", drift.Psi <= maxDrift);
    }
}
