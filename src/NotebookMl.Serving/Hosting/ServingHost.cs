using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NotebookMl.Core.Registry;
using NotebookMl.Core.Workspaces;
using NotebookMl.Serving.Http;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Models;
using Prometheus;

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

    private ServingHost(WebApplication app, ModelRepository repository, Uri address) => (_app, _repository, Address) = (app, repository, address);

    /// <summary>The address it listens on (with the port chosen when 0 was asked).</summary>
    public Uri Address { get; }

    /// <summary>The served models.</summary>
    public ModelRepository Repository => _repository;

    /// <summary>Validates <paramref name="options"/>, loads the models of <paramref name="workspace"/>'s registry and starts listening.</summary>
    public static async Task<ServingHost> StartAsync(WorkspaceLocation workspace, ServingOptions options, Action<string> log, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var token = options.ReadToken();
        var metrics = new ServingMetrics();
        var repository = new ModelRepository(ModelRegistry.Open(workspace), options, log, metrics);
        try
        {
            repository.Start();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
                kestrel.Listen(options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host), options.Port);
            });
            builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
            var app = builder.Build();
            app.Use(next => new JsonErrors(next, log).InvokeAsync);
            app.Use(next => new BearerTokens(next, token, options.RequireTokenForInference).InvokeAsync);
            V2Routes.Map(app, repository, metrics);
            app.MapMetrics("/metrics", metrics.Registry);
            app.MapFallback(context => JsonErrors.WriteAsync(context, 404, $"no route {context.Request.Method} {context.Request.Path}; see /v2 and /v2/models/NAME."));
            await app.StartAsync(cancellationToken);
            var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            log($"serving {repository.Names.Count} model(s) on {bound} (Open Inference Protocol v2; /metrics)");
            return new ServingHost(app, repository, bound);
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
        _repository.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
