using NotebookMl.Core.Workspaces;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Core.Drift.Sources;

/// <summary>
/// How far a model's served traffic has moved from a version's training data: the largest PSI of any model input between
/// the reference statistics and the served rows of the prediction log in a window. The drift gate and the scheduler's
/// drift trigger both measure this. It fails closed: every input of the model must have values in the window, and enough
/// of them to estimate a PSI (<see cref="DriftOptions.DefaultMinRowsPerBin"/> per bin or category unless a minimum is given),
/// or the drift is <see cref="Unmeasured"/>, with the reason and the rows it needs, instead of a figure.
/// </summary>
/// <param name="Psi">The largest PSI (NaN when unmeasured).</param>
/// <param name="Column">The input it was found on (or the input that could not be measured).</param>
/// <param name="Inputs">How many inputs were compared.</param>
/// <param name="Rows">The served rows in the window.</param>
public sealed record TrafficDrift(double Psi, string Column, int Inputs, long Rows)
{
    /// <summary>Why the drift could not be measured (an input without values, too few rows), or null when <see cref="Psi"/> is a measurement.</summary>
    public string? Unmeasured { get; init; }

    /// <summary>
    /// Measures <paramref name="model"/>'s traffic from <paramref name="since"/> until <paramref name="until"/> against
    /// <paramref name="reference"/>; null when there is no served traffic in that window. <paramref name="minRows"/>: the rows
    /// with values each input needs (null: <see cref="DriftOptions.DefaultMinRowsPerBin"/> per bin or category of that input).
    /// </summary>
    public static TrafficDrift? Measure(WorkspaceLocation workspace, string model, ReferenceStatistics reference, DateTimeOffset since, DateTimeOffset until, int? minRows = null)
    {
        using var traffic = DriftSources.PredictionLog(workspace, model, since, until);
        if (traffic is null || traffic.Rows == 0)
        {
            return null;
        }

        var rows = traffic.Rows;
        var logged = traffic.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = reference.Inputs.Select(i => i.Name).ToArray();
        if (inputs.FirstOrDefault(i => !logged.Contains(i)) is { } absent)
        {
            return Unmeasurable(absent, inputs.Length, rows, $"input '{absent}' has no values in the {rows:N0} rows served");
        }

        using var training = new ProfileDataset(reference with { Predictions = [] }, "reference statistics");
        var options = new DriftOptions { Method = DriftMethod.Psi, Columns = inputs, MinRows = minRows, MinRowsPerBin = DriftOptions.DefaultMinRowsPerBin };
        var report = DriftCalculator.Compare(training, traffic, options);
        if (report.Columns.FirstOrDefault(c => c.CurrentValues == 0) is { } empty)
        {
            return Unmeasurable(empty.Column, inputs.Length, rows, $"input '{empty.Column}' has no values in the {rows:N0} rows served");
        }

        if (report.Columns.FirstOrDefault(c => c.Unmeasured is not null) is { } few)
        {
            return Unmeasurable(few.Column, inputs.Length, rows, few.Unmeasured!);
        }

        var worst = report.Columns.MaxBy(c => c.Statistic!.Value)!;
        return new TrafficDrift(worst.Statistic!.Value, worst.Column, inputs.Length, rows);
    }

    private static TrafficDrift Unmeasurable(string column, int inputs, long rows, string reason) => new(double.NaN, column, inputs, rows) { Unmeasured = reason };
}
