using NotebookMl.Core.Drift;
using NotebookMl.Core.Drift.Reference;

namespace NotebookMl.Core.Drift.Sources;

/// <summary>A registered model version's reference statistics as a data set: its inputs and its predictions on the training rows.</summary>
public sealed class ProfileDataset(ReferenceStatistics statistics, string description) : IDriftDataset
{
    private readonly Dictionary<string, ColumnProfile> _profiles = statistics.Inputs.Concat(statistics.Predictions)
        .GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Description => description;

    /// <inheritdoc/>
    public long Rows => statistics.Rows;

    /// <inheritdoc/>
    public IReadOnlyList<DriftColumnInfo> Columns { get; } = statistics.Inputs.Concat(statistics.Predictions)
        .DistinctBy(p => p.Name, StringComparer.Ordinal)
        .Select(p => new DriftColumnInfo(p.Name, p.Categorical is not null ? DriftColumnKind.Categorical : DriftColumnKind.Numeric, p.Categorical is not null ? "categorical profile" : "numeric profile"))
        .ToArray();

    /// <summary>The names of the model's prediction outputs (probability, score, prediction).</summary>
    public IReadOnlyList<string> Predictions { get; } = statistics.Predictions.Select(p => p.Name).ToArray();

    /// <inheritdoc/>
    public ColumnDistribution Read(DriftColumnInfo column, bool categorical) => ColumnDistribution.FromProfile(_profiles[column.Name]);

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
