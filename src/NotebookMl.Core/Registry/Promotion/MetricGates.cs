using System.Globalization;
using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Promotion;

/// <summary>Checks metric gates against the candidate's run metrics, and relative gates against the version an alias points at now.</summary>
internal sealed class MetricGates(IReadOnlyList<GateExpression> require) : IPromotionGate
{
    public IEnumerable<GateResult> Check(PromotionCandidate candidate)
    {
        var version = candidate.Version;
        foreach (var gate in require)
        {
            if (!version.Metrics.TryGetValue(gate.Metric, out var value))
            {
                var known = version.Metrics.Count == 0 ? "none" : string.Join(", ", version.Metrics.Keys.Order(StringComparer.Ordinal));
                yield return new GateResult(gate.Text, $"{version.Uri} has no metric '{gate.Metric}'; its metrics: {known}", false);
                continue;
            }

            if (gate.Constant is { } constant)
            {
                yield return new GateResult(gate.Text, $"{gate.Metric} = {Number(value)}", gate.Holds(value, constant));
                continue;
            }

            var current = candidate.Registry.AliasVersion(version.Name, gate.Alias!);
            if (current is null)
            {
                yield return new GateResult(gate.Text, $"{gate.Metric} = {Number(value)}; no version is @{gate.Alias} yet, nothing to compare with", true);
            }
            else if (!current.Metrics.TryGetValue(gate.Metric, out var theirs))
            {
                yield return new GateResult(gate.Text, $"@{gate.Alias} (version {current.Version}) has no metric '{gate.Metric}' to compare with", false);
            }
            else
            {
                var threshold = theirs + gate.Offset;
                var offset = gate.Offset == 0 ? "" : $" {(gate.Offset < 0 ? "-" : "+")} {Number(Math.Abs(gate.Offset))} = {Number(threshold)}";
                yield return new GateResult(gate.Text, $"{gate.Metric} = {Number(value)} vs @{gate.Alias} (version {current.Version}) {Number(theirs)}{offset}", gate.Holds(value, threshold));
            }
        }
    }

    internal static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
