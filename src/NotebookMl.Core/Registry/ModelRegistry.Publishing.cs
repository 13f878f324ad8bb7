using NotebookMl.Core.Registry.Promotion;
using NotebookMl.Core.Registry.Publishing;

namespace NotebookMl.Core.Registry;

public sealed partial class ModelRegistry
{
    /// <summary>
    /// Publishes <paramref name="version"/> to the running endpoint at <paramref name="endpoint"/> (<see cref="EndpointPublishing.PublishAsync"/>):
    /// it registers the version there and moves <paramref name="alias"/> (null: the alias the endpoint serves) if
    /// <paramref name="gates"/> and the endpoint's own gates pass.
    /// </summary>
    public Task<PublicationResult> PublishAsync(ModelVersion version, Uri endpoint, string? alias = null, PromotionPolicy? gates = null, string? reason = null,
        string? token = null, HttpClient? http = null, bool allowInsecureHttp = false, CancellationToken cancellationToken = default) =>
        EndpointPublishing.PublishAsync(this, version, endpoint, alias, gates, reason, token, http, allowInsecureHttp, cancellationToken);
}
