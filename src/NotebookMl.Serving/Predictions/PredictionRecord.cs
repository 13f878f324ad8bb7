using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Predictions;

/// <summary>
/// One answered request as the prediction log keeps it (one row per input row when written).
/// </summary>
/// <param name="Time">When the answer was ready (UTC).</param>
/// <param name="Model">The model.</param>
/// <param name="Version">The version that answered.</param>
/// <param name="Route">How the request reached it: <c>default</c> (the serving alias), <c>canary</c>, <c>shadow</c> (mirrored, never returned) or <c>version</c> (asked for by number).</param>
/// <param name="Entry">The log's number of the request (<see cref="PredictionLog.NextEntry"/>); a shadow's record carries the number of the request it mirrors.</param>
/// <param name="Request">The request as read.</param>
/// <param name="Outputs">The outputs answered.</param>
/// <param name="LatencyMs">Milliseconds from the request read to the answer.</param>
/// <param name="Fallback">The fallback that answered instead of the model, or null.</param>
public sealed record PredictionRecord(DateTime Time, string Model, int Version, string Route, long Entry, InferRequest Request, IReadOnlyList<InferTensor> Outputs, double LatencyMs, string? Fallback)
{
    /// <summary>Why the version gave no answer (a shadow that failed on the request it mirrors), or null.</summary>
    public string? Error { get; init; }
}

/// <summary>The values of <see cref="PredictionRecord.Route"/>.</summary>
public static class PredictionRoutes
{
    public const string Default = "default";
    public const string Canary = "canary";
    public const string Shadow = "shadow";
    public const string Version = "version";
}
