using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NotebookMl.Serving.Http;

/// <summary>
/// With a token file: the control API (<c>/v2/repository/…</c>) and, when asked, inference need
/// <c>Authorization: Bearer TOKEN</c>, compared in constant time; 401 otherwise.
/// </summary>
internal sealed class BearerTokens(RequestDelegate next, string? token, bool forInference)
{
    private readonly byte[]? _expected = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task InvokeAsync(HttpContext context)
    {
        if (_expected is not null && Protected(context.Request.Path) && !Presented(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await JsonErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "this call needs 'Authorization: Bearer TOKEN' with the server's token.");
            return;
        }

        await next(context);
    }

    private bool Protected(PathString path) =>
        path.StartsWithSegments("/v2/repository") || (forInference && path.StartsWithSegments("/v2/models") && path.Value!.EndsWith("/infer", StringComparison.Ordinal));

    // Hashing both sides first makes the comparison's time independent of the token's length too.
    private bool Presented(string header) =>
        header.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())), _expected);
}
