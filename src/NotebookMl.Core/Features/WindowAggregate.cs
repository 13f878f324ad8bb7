namespace NotebookMl.Core.Features;

/// <summary>
/// A windowed aggregate computed by DuckDB over the source, per entity key: at each source row's
/// time t, <paramref name="Function"/> of <paramref name="Column"/> over the key's rows in
/// [t − <paramref name="Window"/>, t) — e.g. "mean delay at this origin over the previous 7 days".
/// Rows at t itself are left out, so a row's own label never leaks into its features; with
/// <paramref name="IncludeCurrent"/> the window is [t − window, t] instead, for views whose rows are
/// stamped when their values became known (a flight's delay at its landing).
/// </summary>
/// <param name="Name">The feature it produces.</param>
/// <param name="Function">avg, sum, count, min, max or stddev.</param>
/// <param name="Column">The source column aggregated.</param>
/// <param name="Window">How far back the window reaches.</param>
/// <param name="IncludeCurrent">Whether rows at t itself are in the window.</param>
public sealed record WindowAggregate(
    string Name,
    string Function,
    string Column,
    TimeSpan Window,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] bool IncludeCurrent = false)
{
    /// <summary>The aggregate functions a window may use.</summary>
    public static readonly IReadOnlyList<string> Functions = ["avg", "sum", "count", "min", "max", "stddev"];
}
