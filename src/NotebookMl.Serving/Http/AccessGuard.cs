using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using NotebookMl.Serving.Access;

namespace NotebookMl.Serving.Http;

/// <summary>
/// Middleware after routing: the matched endpoint's <see cref="EndpointAccessAttribute"/> says what the call needs, so every
/// spelling routing accepts (case, a trailing slash, <c>versions/N</c>) is judged as the handler it reaches. A refused REST call
/// is <c>{"error": …}</c> with its status; a refused gRPC call is its gRPC status (Unauthenticated, PermissionDenied).
/// </summary>
internal sealed class AccessGuard(RequestDelegate next, AccessPolicy policy)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var access = endpoint?.Metadata.GetMetadata<EndpointAccessAttribute>()?.Access ?? EndpointAccess.Public;
        if (policy.Check(context.Request, access) is not { } refusal)
        {
            await next(context);
            return;
        }

        if (endpoint!.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
        {
            RefuseGrpc(context, refusal);
            return;
        }

        if (refusal.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await JsonErrors.WriteAsync(context, refusal.Status, refusal.Message);
    }

    // A trailers-only gRPC response: HTTP 200 with the status in the headers, as gRPC servers answer a call they refuse.
    private static void RefuseGrpc(HttpContext context, AccessRefusal refusal)
    {
        var status = refusal.Status == StatusCodes.Status401Unauthorized ? global::Grpc.Core.StatusCode.Unauthenticated : global::Grpc.Core.StatusCode.PermissionDenied;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(refusal.Message);
    }
}
