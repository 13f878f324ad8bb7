using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Drift.Sources;

/// <summary>
/// How far a model's served traffic has moved from a version's training data: the largest PSI of any model input between
/// the reference statistics and the served rows of the prediction log in a window. The drift gate and the scheduler's
/// drift trigger both measure this.
/// </summary>
/// <param name="Psi">The largest PSI.</param>
/// <param name="Column">The input it was found on.</param>
/// <param name="Inputs">How many inputs were compared.</param>
/// <param name="Rows">The served rows compared.</param>
public sealed record TrafficDrift(double Psi, string Column, int Inputs, long Rows)
{
    /// <summary>
    /// Measures <paramref name="model"/>'s traffic from <paramref name="since"/> until <paramref name="until"/> against
    /// <paramref name="reference"/>; null when there is no served traffic with any of its inputs in that window.
    /// </summary>
    public static TrafficDrift? Measure(WorkspaceLocation workspace, string model, ReferenceStatistics reference, DateTimeOffset since, DateTimeOffset until)
    {
        using var traffic = DriftSources.PredictionLog(workspace, model, since, until);
        if (traffic is null || traffic.Rows == 0)
        {
            return null;
        }

        var logged = traffic.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = reference.Inputs.Where(i => logged.Contains(i.Name)).Select(i => i.Name).ToArray();
        if (inputs.Length == 0)
        {
            return null;
        }

        using var training = new ProfileDataset(reference with { Predictions = [] }, "reference statistics");
        var report = DriftCalculator.Compare(training, traffic, new DriftOptions { Method = DriftMethod.Psi, Columns = inputs });
        var worst = report.Columns.MaxBy(c => c.Statistic ?? 0)!;
        return new TrafficDrift(worst.Statistic ?? 0, worst.Column, inputs.Length, traffic.Rows);
    }
}
