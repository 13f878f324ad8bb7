using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Http;

/// <summary>
/// Every failure as <c>{"error": "…"}</c> with its status: the protocol's own (400, 404, 503), Kestrel's (413 for a body over
/// the limit), and 500 for anything unexpected (logged, never a stack trace to the caller). The server keeps serving.
/// </summary>
internal sealed class JsonErrors(RequestDelegate next, Action<string> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (InferenceException e)
        {
            await WriteAsync(context, e.Status, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            var message = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"the request body is larger than the limit of {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize:N0} bytes."
                : e.Message;
            await WriteAsync(context, e.StatusCode, message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
        catch (Exception e)
        {
            log($"{context.Request.Method} {context.Request.Path} failed: {e.GetType().Name}: {e.Message}");
            await WriteAsync(context, 500, $"the server failed on this request: {e.Message}");
        }
    }

    // Messages quote names ('distance'); keep them readable rather than \u0027.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }, s_json));
    }
}
