using NotebookMl.Core.Drift;
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
        using var traffic = DriftSources.PredictionLog(registry.Workspace, version.Name, now - Window, now);
        if (traffic is null)
        {
            yield return new GateResult(gate, $"no served traffic of {version.Name} in the prediction log over the last 24 h to compare with", false);
            yield break;
        }

        var logged = traffic.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = reference.Inputs.Where(i => logged.Contains(i.Name)).Select(i => i.Name).ToArray();
        if (traffic.Rows == 0 || inputs.Length == 0)
        {
            yield return new GateResult(gate, $"no served traffic of {version.Name} in the prediction log over the last 24 h to compare with", false);
            yield break;
        }

        using var training = new ProfileDataset(reference with { Predictions = [] }, $"{version.Uri} (reference statistics)");
        var report = DriftCalculator.Compare(training, traffic, new DriftOptions { Method = DriftMethod.Psi, Columns = inputs, Threshold = maxDrift });
        var worst = report.Columns.MaxBy(c => c.Statistic ?? 0)!;
        var psi = worst.Statistic ?? 0;
        yield return new GateResult(gate, $"PSI {MetricGates.Number(psi)} on {worst.Column} (largest of {inputs.Length} inputs) against {traffic.Rows:N0} rows served in the last 24 h", psi <= maxDrift);
    }
}
