using System.Globalization;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>One inference, whatever the transport: lease the version, read the request against its signature, run it (batched with others when batching is on), count it.</summary>
public sealed class InferenceRunner(ModelRepository repository, ServingMetrics metrics)
{
    /// <summary>Runs the request <paramref name="read"/> builds for the version of <paramref name="name"/> it is served by.</summary>
    public async Task<InferenceResult> RunAsync(string name, int? version, Func<ModelSignature, InferRequest> read)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var lease = repository.Acquire(name, version);
        var served = lease.Version;
        var label = served.Version.Version.ToString(CultureInfo.InvariantCulture);
        try
        {
            var request = read(served.Signature);
            var computing = System.Diagnostics.Stopwatch.GetTimestamp();
            var outputs = await served.RunAsync(request.Inputs, request.Outputs);
            metrics.ComputeDuration.WithLabels(name, label).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(computing).TotalSeconds);
            metrics.Requests.WithLabels(name, label, "success").Inc();
            return new InferenceResult(served.Version, request, outputs);
        }
        catch
        {
            metrics.Requests.WithLabels(name, label, "failure").Inc();
            throw;
        }
        finally
        {
            metrics.RequestDuration.WithLabels(name, label).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}

/// <summary>What an inference produced: the version that ran, the request as read, and the outputs.</summary>
public sealed record InferenceResult(ModelVersion Version, InferRequest Request, IReadOnlyList<InferTensor> Outputs);
