using Grpc.Core;
using NotebookMl.Serving.Access;
using Prometheus;
using NotebookMl.Serving.Grpc.V2;
using NotebookMl.Serving.Models;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Grpc;

/// <summary>
/// KServe's <c>inference.GRPCInferenceService</c>: ServerLive/Ready, ServerMetadata, ModelReady, ModelMetadata and ModelInfer,
/// over the same models, checks and metrics as REST. Failures are gRPC statuses with the REST message: InvalidArgument (400),
/// NotFound (404), Unavailable (503), ResourceExhausted (413). Who may call each method is the endpoint's
/// <see cref="EndpointAccessAttribute"/>, judged by <see cref="Http.AccessGuard"/> before the call reaches it.
/// </summary>
internal sealed class InferenceGrpcService(ModelRepository repository, InferenceRunner runner, Metrics.ServingMetrics metrics) : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) => Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) => Task.FromResult(new ServerReadyResponse { Ready = repository.Ready });

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var response = new ServerMetadataResponse { Name = Http.V2Routes.ServerName, Version = typeof(InferenceGrpcService).Assembly.GetName().Version!.ToString(3) };
        response.Extensions.Add("model_repository");
        return Task.FromResult(response);
    }

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) => Call(() =>
    {
        try
        {
            using var lease = repository.Acquire(request.Name, Version(request.Version));
            return new ModelReadyResponse { Ready = true };
        }
        catch (InferenceException e) when (e.Status == 503)
        {
            return new ModelReadyResponse { Ready = false };
        }
    });

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) => Call(() =>
    {
        using var lease = repository.Acquire(request.Name, Version(request.Version));
        var version = lease.Version.Version;
        var response = new ModelMetadataResponse { Name = request.Name, Platform = "onnx_onnxv1" };
        response.Versions.Add(version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Inputs.AddRange(version.Signature.Inputs.Select(Tensor));
        response.Outputs.AddRange(version.Signature.Outputs.Select(Tensor));
        return response;
    });

    [EndpointAccess(EndpointAccess.Inference)]
    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        using var inFlight = metrics.InFlight.WithLabels(request.ModelName).TrackInProgress();
        try
        {
            var result = await runner.RunAsync(request.ModelName, Version(request.ModelVersion), signature => InferRequestValidator.Validate(GrpcTensors.Read(request), signature, request.ModelName));
            var response = GrpcTensors.Write(request.ModelName, result.Version.Version, result.Request, result.Outputs, raw: request.RawInputContents.Count > 0);
            if (result.Fallback is not null)
            {
                response.Parameters["fallback"] = new InferParameter { StringParam = result.Fallback };
            }

            return response;
        }
        catch (InferenceException e)
        {
            throw Status(e);
        }
    }

    private static int? Version(string version) => version.Length == 0 ? null : Http.V2Routes.Number(version);

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(Core.Registry.TensorSignature tensor)
    {
        var metadata = new ModelMetadataResponse.Types.TensorMetadata { Name = tensor.Name, Datatype = tensor.DataType };
        metadata.Shape.AddRange(tensor.Shape);
        return metadata;
    }

    private static Task<T> Call<T>(Func<T> call)
    {
        try
        {
            return Task.FromResult(call());
        }
        catch (InferenceException e)
        {
            throw Status(e);
        }
    }

    private static RpcException Status(InferenceException e) => new(new Status(e.Status switch
    {
        400 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        404 => StatusCode.NotFound,
        413 => StatusCode.ResourceExhausted,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    }, e.Message));
}
