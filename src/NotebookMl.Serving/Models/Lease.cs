namespace NotebookMl.Serving.Models;

/// <summary>A request's hold on a served version; dispose it when the response is written.</summary>
public readonly struct Lease(ServedVersion version, string route = Predictions.PredictionRoutes.Default) : IDisposable
{
    /// <summary>The version the request runs on.</summary>
    public ServedVersion Version { get; } = version;

    /// <summary>How the request reached it (<see cref="Predictions.PredictionRoutes"/>).</summary>
    public string Route { get; } = route;

    /// <inheritdoc/>
    public void Dispose() => Version.Release();
}
