using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Access;
using Prometheus;
using NotebookMl.Serving.Models;
using NotebookMl.Serving.Protocol;
using NotebookMl.Core.Registry.Publishing;

namespace NotebookMl.Serving.Http;

/// <summary>
/// The Open Inference Protocol v2 over HTTP/REST (KServe's required API): health, server and model metadata, model
/// readiness and inference; and Triton's model repository extension (index, load, unload).
/// </summary>
internal static class V2Routes
{
    public const string ServerName = "notebookml";

    /// <summary>The binary tensor extension's header: the length of the JSON that starts the body.</summary>
    public const string BinaryHeader = "Inference-Header-Content-Length";

    public static void Map(IEndpointRouteBuilder routes, ModelRepository repository, InferenceRunner runner, ModelPublisher publisher, Metrics.ServingMetrics metrics)
    {
        routes.MapGet("/v2/health/live", () => Results.Json(new { live = true }));
        routes.MapGet("/v2/health/ready", () => repository.Ready ? Results.Json(new { ready = true }) : Results.Json(new { ready = false }, statusCode: 503));
        routes.MapGet("/v2", () => Results.Json(new
        {
            name = ServerName,
            version = typeof(V2Routes).Assembly.GetName().Version!.ToString(3),
            extensions = new[] { "model_repository", "binary_tensor_data" },
        }));

        routes.MapGet("/v2/models/{name}", (string name) => Metadata(repository, name, null));
        routes.MapGet("/v2/models/{name}/versions/{version}", (string name, string version) => Metadata(repository, name, Number(version)));
        routes.MapGet("/v2/models/{name}/ready", (string name) => Ready(repository, name, null));
        routes.MapGet("/v2/models/{name}/versions/{version}/ready", (string name, string version) => Ready(repository, name, Number(version)));
        var inference = new EndpointAccessAttribute(EndpointAccess.Inference);
        routes.MapPost("/v2/models/{name}/infer", (HttpContext context, string name) => InferAsync(context, runner, metrics, name, null)).WithMetadata(inference);
        routes.MapPost("/v2/models/{name}/versions/{version}/infer", (HttpContext context, string name, string version) => InferAsync(context, runner, metrics, name, Number(version))).WithMetadata(inference);

        // Every route of the control API needs control access, however its path is spelled.
        var control = routes.MapGroup("/v2/repository").WithMetadata(new EndpointAccessAttribute(EndpointAccess.Control));
        control.MapPost("/index", () => Results.Json(repository.Index().Select(e => new
        {
            name = e.Name,
            version = e.Version?.ToString(CultureInfo.InvariantCulture),
            state = e.State,
            reason = e.Reason ?? "",
        })));
        control.MapPost("/models/{name}/load", (string name) =>
        {
            repository.Load(name);
            return Results.Json(new { });
        });
        control.MapPost("/models/{name}/unload", (string name) =>
        {
            repository.Unload(name);
            return Results.Json(new { });
        });
        control.MapPost("/models/{name}/publish", async (HttpContext context, string name) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            ModelPublication publication;
            try
            {
                publication = ModelPublication.FromJson(body.GetBuffer().AsSpan(0, (int)body.Length));
            }
            catch (InvalidDataException e)
            {
                throw new InferenceException(400, e.Message);
            }

            var (result, serving) = publisher.Publish(name, publication);
            var gates = result.Gates.Select(g => new { gate = g.Gate, value = g.Value, passed = g.Passed });
            var served = new { alias = repository.Alias, version = serving.Version, reason = serving.Reason };
            return result.Promoted
                ? Results.Json(new { name, version = result.Version.Version, alias = result.Alias, promoted = true, from_version = result.Change!.FromVersion, gates, serving = served })
                : Results.Json(new
                {
                    error = $"registered as version {result.Version.Version}, but not promoted to @{result.Alias}: {result.Gates.Count(g => !g.Passed)} of {result.Gates.Count} gates failed.",
                    name, version = result.Version.Version, alias = result.Alias, promoted = false, gates, serving = served,
                }, statusCode: StatusCodes.Status409Conflict);
        });
    }

    private static IResult Metadata(ModelRepository repository, string name, int? version)
    {
        using var lease = repository.Acquire(name, version);
        var served = lease.Version.Version;
        var traffic = repository.TrafficOf(name);
        return Results.Json(new
        {
            name,
            versions = new[] { served.Version.ToString(CultureInfo.InvariantCulture) },
            platform = "onnx_onnxv1",
            inputs = served.Signature.Inputs.Select(Tensor),
            outputs = served.Signature.Outputs.Select(Tensor),
            parameters = new
            {
                uri = served.Uri,
                aliases = served.Aliases,
                run_id = served.RunId,
                canary = traffic.Routes?.Canary is { } canary ? new { alias = canary.Alias, version = traffic.CanaryVersion, percent = canary.Percent } : null,
                shadow = traffic.Routes?.Shadow is { } shadow ? new { alias = shadow.Alias, version = traffic.ShadowVersion } : null,
            },
        });
    }

    private static IResult Ready(ModelRepository repository, string name, int? version)
    {
        try
        {
            using var lease = repository.Acquire(name, version);
            return Results.Json(new { name, ready = true });
        }
        catch (InferenceException e) when (e.Status == 503)
        {
            return Results.Json(new { name, ready = false }, statusCode: 503);
        }
    }

    private static async Task InferAsync(HttpContext context, InferenceRunner runner, Metrics.ServingMetrics metrics, string name, int? version)
    {
        using var inFlight = metrics.InFlight.WithLabels(name).TrackInProgress();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        int? headerLength = context.Request.Headers.TryGetValue(BinaryHeader, out var header)
            ? int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : throw new InferenceException(400, $"{BinaryHeader} is '{header}'; expected the JSON's length in bytes.")
            : null;
        var result = await runner.RunAsync(name, version, signature => InferRequestReader.Read(body.GetBuffer().AsMemory(0, (int)body.Length), signature, name, headerLength));
        if (!result.Outputs.Any(o => result.Request.IsBinary(o.Name)))
        {
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter.AsStream());
            InferResponseWriter.Write(writer, name, result.Version.Version, result.Request.Id, result.Outputs, fallback: result.Fallback);
            return;
        }

        // The binary tensor extension: the JSON, then each binary output's bytes; the JSON's length in the header.
        using var json = new MemoryStream();
        IReadOnlyList<byte[]> raw;
        await using (var writer = new Utf8JsonWriter(json))
        {
            raw = InferResponseWriter.Write(writer, name, result.Version.Version, result.Request.Id, result.Outputs, result.Request.IsBinary, result.Fallback);
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers[BinaryHeader] = json.Length.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentLength = json.Length + raw.Sum(r => r.Length);
        await context.Response.Body.WriteAsync(json.GetBuffer().AsMemory(0, (int)json.Length), context.RequestAborted);
        foreach (var bytes in raw)
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }

    private static object Tensor(TensorSignature tensor) => new { name = tensor.Name, datatype = tensor.DataType, shape = tensor.Shape };

    internal static int Number(string version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new InferenceException(404, $"version '{version}' is not a version number; versions are 1, 2, ….");
}
