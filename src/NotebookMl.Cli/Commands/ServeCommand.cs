using System.CommandLine;
using NotebookMl.Cli.Rendering;
using NotebookMl.Core.Workspaces;
using NotebookMl.Serving;
using NotebookMl.Serving.Hosting;

namespace NotebookMl.Cli.Commands;

/// <summary>
/// <c>notebookml serve</c>: the workspace registry's models over the Open Inference Protocol v2 (REST), with
/// <c>/metrics</c> and the model repository API; hot swap when the serving alias moves. Ctrl-C or SIGTERM stop it
/// after the requests in flight finish.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServingOptions();
        var host = new Option<string>("--host") { Description = "The address to listen on; anything but loopback needs --token-file.", DefaultValueFactory = _ => defaults.Host };
        var port = new Option<int>("--port") { Description = "The HTTP port (0: any free port).", DefaultValueFactory = _ => defaults.Port };
        var grpcPort = new Option<int?>("--grpc-port") { Description = "Also serve KServe's gRPC inference service on this port (HTTP/2 without TLS)." };
        var models = new Option<string?>("--models") { Description = "The models to serve, comma-separated (default: every registered model)." };
        var alias = new Option<string>("--alias") { Description = "The alias whose version is each model's default.", DefaultValueFactory = _ => defaults.Alias };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file with the bearer token the control API needs (and inference, with --require-token-for-inference)." };
        var tlsCertificate = new Option<string?>("--tls-certificate") { Description = "Serve HTTPS (and gRPC over TLS) with this certificate: .pfx/.p12, or .pem/.crt with --tls-key." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of a PEM certificate." };
        var tlsPassword = new Option<string?>("--tls-password-file") { Description = "A file with the .pfx certificate's password." };
        var allowHost = new Option<string[]>("--allow-host") { Description = "A host name (or address) besides loopback that the control API answers to, repeatable; any other Host header is refused (DNS rebinding)." };
        var requireToken = new Option<bool>("--require-token-for-inference") { Description = "Inference needs the token too." };
        var maxBatch = new Option<int>("--max-batch-size") { Description = "Dynamic batching: join concurrent requests into one ONNX Runtime call of at most this many rows (1: off).", DefaultValueFactory = _ => defaults.MaxBatchSize };
        var maxDelay = new Option<int>("--max-queue-delay") { Description = "With batching: microseconds the first request of a batch may wait for others (Triton's max_queue_delay_microseconds).", DefaultValueFactory = _ => (int)defaults.MaxQueueDelay.TotalMicroseconds };
        var inferenceTimeout = new Option<double?>("--inference-timeout") { Description = "Milliseconds a model with a fallback (notebookml.yaml serving: models: NAME: fallback:) may take before the fallback answers." };
        var logSample = new Option<double>("--log-sample") { Description = "The share of requests written to the prediction log (.notebookml/predictions/): 1 every request (the default), 0 none but those mirrored to a shadow.", DefaultValueFactory = _ => defaults.LogSample };
        var logBuffer = new Option<long>("--log-buffer-rows") { Description = "The most prediction-log rows held in memory while the disk is behind; rows past it are dropped and counted (notebookml_prediction_log_dropped_total).", DefaultValueFactory = _ => defaults.LogBufferRows };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "The largest request body; larger ones get 413.", DefaultValueFactory = _ => defaults.MaxBodyBytes };
        var command = new Command("serve", "Serve the registry's models over the Open Inference Protocol v2 (KServe / Triton clients), with hot swap when the alias moves and Prometheus /metrics.")
        {
            host, port, grpcPort, models, alias, tokenFile, requireToken, allowHost, tlsCertificate, tlsKey, tlsPassword, maxBatch, maxDelay, inferenceTimeout, logSample, logBuffer, maxBody,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServingOptions
            {
                Host = parse.GetValue(host)!, Port = parse.GetValue(port), GrpcPort = parse.GetValue(grpcPort), Alias = parse.GetValue(alias)!, TokenFile = parse.GetValue(tokenFile),
                RequireTokenForInference = parse.GetValue(requireToken), AllowedHosts = parse.GetValue(allowHost) ?? [], MaxBodyBytes = parse.GetValue(maxBody),
                TlsCertificate = parse.GetValue(tlsCertificate), TlsKey = parse.GetValue(tlsKey), TlsPasswordFile = parse.GetValue(tlsPassword),
                InferenceTimeout = parse.GetValue(inferenceTimeout) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                LogSample = parse.GetValue(logSample), LogBufferRows = parse.GetValue(logBuffer),
                MaxBatchSize = parse.GetValue(maxBatch), MaxQueueDelay = TimeSpan.FromMicroseconds(parse.GetValue(maxDelay)),
                Models = parse.GetValue(models)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            }.Validate();
            void Log(string line)
            {
                lock (Terminal.Out)
                {
                    Terminal.Out.WriteLine($"{TimeProvider.System.GetUtcNow():HH:mm:ss} {line}");
                    Terminal.Out.Flush();
                }
            }

            var server = await ServingHost.StartAsync(WorkspaceLocation.CurrentExisting(), options, Log, [new NotebookMl.Training.Registration.OnnxReproductionGate()], CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Log("stopping: finishing the requests in flight");
            }

            await server.DisposeAsync();
            Log("stopped");
            return ExitCodes.Ok;
        });
        return command;
    }
}
