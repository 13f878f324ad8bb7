using NotebookMl.Core.Drift.Sources;
using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Promotion;

/// <summary>
/// The drift gate (<c>max_drift</c>): the largest PSI of any model input between the candidate's own training data (its
/// reference statistics) and the traffic the model's endpoint served over the window (the prediction log). A candidate
/// trained on data unlike today's traffic is refused. The gate fails closed rather than passing unmeasured: without
/// reference statistics, without traffic to compare with, when an input has no values in the window, and when the
/// window holds too few rows to estimate a PSI (it says how many it needs, see <see cref="TrafficDrift"/>).
/// </summary>
internal sealed class DriftGate(double maxDrift, TimeSpan? window, int? minRows) : IPromotionGate
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
        if (TrafficDrift.Measure(registry.Workspace, version.Name, reference, now - _window, now, minRows) is not { } drift)
        {
            yield return new GateResult(gate, $"no served traffic of {version.Name} in the prediction log over the last {span} to compare with", false);
            yield break;
        }

        if (drift.Unmeasured is { } why)
        {
            yield return new GateResult(gate, $"not measured: {why} in the last {span}", false);
            yield break;
        }

        yield return new GateResult(gate, $"PSI {MetricGates.Number(drift.Psi)} on {drift.Column} (largest of {drift.Inputs} inputs) against {drift.Rows:N0} rows served in the last {span}", drift.Psi <= maxDrift);
    }
}
