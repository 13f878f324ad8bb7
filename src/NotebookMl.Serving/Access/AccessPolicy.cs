using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace NotebookMl.Serving.Access;

/// <summary>
/// Who may call what, decided from the access the matched endpoint needs (<see cref="EndpointAccess"/>):
/// <list type="bullet">
/// <item>the control API refuses what a web page could send it, token or not, as Jupyter does: a <c>Host</c> that is neither
/// loopback nor allowed (DNS rebinding) is 403, an <c>Origin</c> other than the server's own is 403, and a body that is not
/// JSON (a "simple" cross-site POST) is 415; then, with a token, it needs the token (401);</item>
/// <item>inference needs the token when <paramref name="forInference"/>;</item>
/// <item>everything else is public.</item>
/// </list>
/// </summary>
internal sealed class AccessPolicy(BearerToken? token, bool forInference, IReadOnlyCollection<string> allowedHosts)
{
    private readonly HashSet<string> _allowedHosts = allowedHosts.ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="request"/> may not reach an endpoint that needs <paramref name="access"/>, or null when it may.</summary>
    public AccessRefusal? Check(HttpRequest request, EndpointAccess access)
    {
        if (access == EndpointAccess.Control && CrossSite(request) is { } refusal)
        {
            return refusal;
        }

        var needsToken = access == EndpointAccess.Control || (access == EndpointAccess.Inference && forInference);
        return needsToken && token is not null && !token.Matches(request.Headers.Authorization.ToString())
            ? new AccessRefusal(StatusCodes.Status401Unauthorized, "this call needs 'Authorization: Bearer TOKEN' with the server's token.")
            : null;
    }

    private AccessRefusal? CrossSite(HttpRequest request)
    {
        var host = request.Host.Host;
        if (!IsLoopback(host) && !_allowedHosts.Contains(host))
        {
            return new AccessRefusal(StatusCodes.Status403Forbidden,
                $"the control API answers only to a loopback Host or one the server allows (--allow-host); this request's Host is '{request.Host}'.");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return new AccessRefusal(StatusCodes.Status403Forbidden, $"the control API refuses cross-origin requests; this one came from '{origin}'.");
        }

        if (request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site is not ("same-origin" or "none"))
        {
            return new AccessRefusal(StatusCodes.Status403Forbidden, $"the control API refuses cross-site requests; this one is '{site}'.");
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody && !IsJson(request.ContentType))
        {
            return new AccessRefusal(StatusCodes.Status415UnsupportedMediaType,
                $"the control API takes JSON bodies; send 'Content-Type: application/json' (this one is '{request.ContentType ?? "none"}').");
        }

        return null;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>localhost, or a loopback IP address (bracketed for IPv6, as a Host header writes it).</summary>
    internal static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
