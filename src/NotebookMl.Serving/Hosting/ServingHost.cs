using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Workspaces;
using NotebookMl.Serving.Access;
using NotebookMl.Serving.Http;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Models;
using Prometheus;
using NotebookMl.Core.Registry.Promotion;

namespace NotebookMl.Serving.Hosting;

/// <summary>
/// The serving endpoint: Kestrel with the Open Inference Protocol v2 routes, <c>/metrics</c>, the control API, over the
/// workspace registry's models. <see cref="StartAsync"/> loads the models and listens; <see cref="StopAsync"/> stops
/// taking connections and lets requests in flight finish.
/// </summary>
public sealed class ServingHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelRepository _repository;
    private Predictions.PredictionLog? _predictions;
    private ShadowMirror? _shadows;
    private Lazy<Core.Features.FeatureStore>? _features;

    private ServingHost(WebApplication app, ModelRepository repository, Uri address, Uri? grpcAddress) =>
        (_app, _repository, Address, GrpcAddress) = (app, repository, address, grpcAddress);

    /// <summary>The address REST listens on (with the port chosen when 0 was asked).</summary>
    public Uri Address { get; }

    /// <summary>The address gRPC listens on (HTTP/2 without TLS), or null without <see cref="ServingOptions.GrpcPort"/>.</summary>
    public Uri? GrpcAddress { get; }

    /// <summary>The served models.</summary>
    public ModelRepository Repository => _repository;

    /// <summary>
    /// Validates <paramref name="options"/>, loads the models of <paramref name="workspace"/>'s registry and starts listening.
    /// <paramref name="promotionGates"/> are checked, with the metric gates and policies, before a published version is
    /// promoted (the CLI passes Training's ONNX gate).
    /// </summary>
    public static async Task<ServingHost> StartAsync(WorkspaceLocation workspace, ServingOptions options, Action<string> log, IReadOnlyList<IPromotionGate>? promotionGates = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var token = options.ReadToken() is { } secret ? new BearerToken(secret) : null;
        var certificate = options.ReadCertificate();
        var metrics = new ServingMetrics();
        var registry = ModelRegistry.Open(workspace);
        var features = new Lazy<Core.Features.FeatureStore>(() => Core.Features.FeatureStore.Open(workspace), LazyThreadSafetyMode.ExecutionAndPublication);
        var repository = new ModelRepository(registry, options, log, metrics, ServingConfiguration.Fallbacks(workspace), () => features.Value);
        try
        {
            repository.Start();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
                kestrel.Listen(address, options.Port, listen =>
                {
                    listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                    if (certificate is not null)
                    {
                        listen.UseHttps(certificate);
                    }
                });
                if (options.GrpcPort is { } grpcPort)
                {
                    // gRPC needs HTTP/2; without TLS a client must speak it from the start (h2c), so the port speaks nothing else.
                    kestrel.Listen(address, grpcPort, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http2;
                        if (certificate is not null)
                        {
                            listen.UseHttps(certificate);
                        }
                    });
                }
            });
            // The log is there even at --log-sample 0: a shadow's answers and the requests they mirror go to it.
            var predictions = new Predictions.PredictionLog(Core.Predictions.PredictionLogFiles.Folder(workspace), options.LogSample, options.LogFlushInterval, TimeProvider.System, log,
                options.LogBufferRows, (model, rows) => metrics.LogDropped.WithLabels(model).Inc(rows))
            {
                Writer = options.LogWriter ?? Predictions.PredictionParquet.WriteAsync,
                Publish = Core.Storage.ArtifactSettings.IsShared(workspace)
                    ? (model, path) => Core.Predictions.MonitoringFiles.Publish(workspace, Core.Predictions.MonitoringFiles.Predictions, model, path, TimeProvider.System.GetUtcNow())
                    : null,
            };
            var shadows = new ShadowMirror(repository, metrics, predictions, log);
            var runner = new InferenceRunner(repository, metrics, options.InferenceTimeout, predictions, shadows);
            builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = (int)Math.Min(options.MaxBodyBytes, int.MaxValue));
            builder.Services.AddSingleton(repository).AddSingleton(runner).AddSingleton(metrics);
            builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
            var app = builder.Build();
            app.Use(next => new JsonErrors(next, log).InvokeAsync);
            // Routing first, so the guard judges the endpoint a request reaches, not the text of its path.
            app.UseRouting();
            var access = new AccessPolicy(token, options.RequireTokenForInference, options.AllowedHosts);
            app.Use(next => new AccessGuard(next, access).InvokeAsync);
            // gRPC limits each message (MaxReceiveMessageSize: ResourceExhausted), not the stream: Kestrel's body limit would
            // cut a call with a bare HTTP 413 that gRPC clients read as Unknown.
            app.Use((context, next) =>
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<global::Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null
                    && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = null;
                }

                return next(context);
            });
            V2Routes.Map(app, repository, runner, new ModelPublisher(registry, repository, promotionGates ?? []), metrics);
            app.MapGrpcService<Grpc.InferenceGrpcService>();
            app.MapMetrics("/metrics", metrics.Registry);
            app.MapFallback(context => JsonErrors.WriteAsync(context, 404, $"no route {context.Request.Method} {context.Request.Path}; see /v2 and /v2/models/NAME."));
            await app.StartAsync(cancellationToken);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToArray();
            var grpc = options.GrpcPort is null ? null : addresses[1];
            log($"serving {repository.Names.Count} model(s) on {addresses[0]} (Open Inference Protocol v2; /metrics){(grpc is null ? "" : $" and gRPC on {grpc}")}");
            return new ServingHost(app, repository, addresses[0], grpc) { _predictions = predictions, _shadows = shadows, _features = features };
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    /// <summary>Stops listening; requests in flight finish first.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _app.StopAsync(cancellationToken);
        if (_shadows is not null)
        {
            // Mirrors queued before the stop still run, so their answers are logged with the requests they mirror.
            await _shadows.DisposeAsync();
            _shadows = null;
        }

        if (_predictions is not null)
        {
            // The requests have finished: the last rows are written before the process ends.
            await _predictions.DisposeAsync();
            _predictions = null;
        }

        _repository.Dispose();
        if (_features is { IsValueCreated: true })
        {
            _features.Value.Dispose();
        }

        _features = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
