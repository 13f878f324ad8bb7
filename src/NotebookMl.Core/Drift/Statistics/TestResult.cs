namespace NotebookMl.Core.Drift.Statistics;

/// <summary>A statistic and, for a hypothesis test, its p-value (null for a distance).</summary>
/// <param name="Statistic">The statistic or distance.</param>
/// <param name="PValue">The p-value, or null where the method has none.</param>
public sealed record TestResult(double Statistic, double? PValue);
