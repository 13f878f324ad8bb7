using Microsoft.AspNetCore.Http;

namespace NotebookMl.Serving.Http;

/// <summary>
/// With a token file: the control API (<c>/v2/repository/…</c>) and, when asked, inference need
/// <c>Authorization: Bearer TOKEN</c>, compared in constant time; 401 otherwise.
/// </summary>
internal sealed class BearerTokens(RequestDelegate next, BearerToken? token, bool forInference)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (token is not null && Protected(context.Request.Path) && !token.Matches(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await JsonErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "this call needs 'Authorization: Bearer TOKEN' with the server's token.");
            return;
        }

        await next(context);
    }

    private bool Protected(PathString path) =>
        path.StartsWithSegments("/v2/repository") || (forInference && path.StartsWithSegments("/v2/models") && path.Value!.EndsWith("/infer", StringComparison.Ordinal));
}
