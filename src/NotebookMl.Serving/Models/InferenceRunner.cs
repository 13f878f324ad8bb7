using System.Globalization;
using NotebookMl.Core.Registry;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Predictions;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// One inference, whatever the transport: lease the version, read the request against its signature, run it (batched with
/// others when batching is on), count it. When the model cannot answer (nothing loaded, a failure, or past
/// <paramref name="timeout"/>) and it has a fallback rule, the fallback answers and the result says so; a bad request is
/// the caller's error and never falls back. A request that names no version may go to the model's canary, and once
/// answered is mirrored to its shadow.
/// </summary>
public sealed class InferenceRunner(ModelRepository repository, ServingMetrics metrics, TimeSpan? timeout = null, PredictionLog? predictions = null, ShadowMirror? shadows = null)
{
    /// <summary>Runs the request <paramref name="read"/> builds for the version of <paramref name="name"/> it is served by; the answer goes to the prediction log.</summary>
    public async Task<InferenceResult> RunAsync(string name, int? version, Func<RequestSignature, InferRequest> read)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await RunCoreAsync(name, version, read, started);
        if (predictions is null)
        {
            return result;
        }

        // A mirrored request is always logged: its shadow's answer is compared with it.
        var shadow = result is { Route: PredictionRoutes.Default, Fallback: null } && shadows is not null ? repository.ShadowVersion(name) : null;
        if (shadow is not null || predictions.Sample())
        {
            var entry = predictions.NextEntry();
            predictions.Append(new PredictionRecord(predictions.Now, name, result.Version.Version, result.Route, entry, result.Request, result.Outputs, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, result.Fallback));
            if (shadow is { } number)
            {
                // The shadow gets the request as the caller sent it, and adds its own online features.
                shadows!.Mirror(name, number, entry, result.Sent, result.SentTo!);
            }
        }

        return result;
    }

    private async Task<InferenceResult> RunCoreAsync(string name, int? version, Func<RequestSignature, InferRequest> read, long started)
    {
        Lease lease;
        try
        {
            lease = repository.Acquire(name, version, routed: true);
        }
        catch (InferenceException e) when (e.Status == 503 && version is null && repository.FallbackOf(name) is { } rule && repository.RegisteredSignature(name) is { } signature)
        {
            return Fallbacks.Answer(repository, metrics, name, rule, read(RequestSignature.Of(signature)), signature, "unavailable");
        }

        var release = true;
        InferRequest? sent = null;
        var served = lease.Version;
        var label = served.Version.Version.ToString(CultureInfo.InvariantCulture);
        try
        {
            // A canary takes the requests sent to the default version, as the caller sent them: they are read as the default
            // reads them, then projected onto the canary's own signature. Inputs left out are looked up in the online store
            // (each version its own), so the model (and the log) sees what it was trained on.
            var sentTo = lease.Route == PredictionRoutes.Canary ? repository.DefaultAccepts(name) ?? served.Accepts : served.Accepts;
            sent = read(sentTo);
            var request = await served.PrepareAsync(sent, sentTo, name);
            var computing = System.Diagnostics.Stopwatch.GetTimestamp();
            // A request for a version by number pinned that version: only the default (the alias's) falls back.
            var fallback = version is null ? repository.FallbackOf(name) : null;
            // With a time limit the call runs off this thread, so the limit can end the wait (an unbatched call is synchronous).
            IReadOnlyList<InferTensor> outputs;
            try
            {
                // An unbatched call runs (and fails) synchronously, so it starts inside the try.
                var run = timeout is not null && fallback is not null ? Task.Run(() => served.RunAsync(request.Inputs, request.Outputs)) : served.RunAsync(request.Inputs, request.Outputs);
                if (timeout is { } limit && fallback is not null && await Task.WhenAny(run, Task.Delay(limit)) != run)
                {
                    // The model's call goes on; its lease ends with it, so the session outlives it even if the version is swapped out.
                    release = false;
                    _ = run.ContinueWith(_ => lease.Dispose(), TaskScheduler.Default);
                    metrics.Requests.WithLabels(name, label, "timeout").Inc();
                    return Fallbacks.Answer(repository, metrics, name, fallback, request, served.Signature, "timeout");
                }

                outputs = await run;
            }
            catch (Exception e) when (fallback is not null && e is not InferenceException { Status: 400 })
            {
                metrics.Requests.WithLabels(name, label, "failure").Inc();
                return Fallbacks.Answer(repository, metrics, name, fallback, request, served.Signature, "error");
            }
            catch (InferenceException e) when (e.Status == 500)
            {
                // The model failed and nothing answers instead: unavailable for this request, and the message says how to have an answer.
                throw new InferenceException(503, $"{e.Message}; {(version is null ? $"model '{name}' has no fallback (serving: models: {name}: fallback: in notebookml.yaml)" : "a request for a version by number never falls back")}.");
            }

            metrics.ComputeDuration.WithLabels(name, label).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(computing).TotalSeconds);
            metrics.Requests.WithLabels(name, label, "success").Inc();
            return new InferenceResult(served.Version, request, outputs, Route: lease.Route) { Sent = sent, SentTo = sentTo };
        }
        catch (InferenceException e) when (lease.Route == PredictionRoutes.Canary && sent is not null)
        {
            // The caller sent a good request for the model, not a version: the answer says that the canary's version failed.
            metrics.Requests.WithLabels(name, label, "failure").Inc();
            throw new InferenceException(e.Status, $"canary version {label} of '{name}' failed: {e.Message}");
        }
        catch
        {
            metrics.Requests.WithLabels(name, label, "failure").Inc();
            throw;
        }
        finally
        {
            metrics.RequestDuration.WithLabels(name, label).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            if (release)
            {
                lease.Dispose();
            }
        }
    }
}

/// <summary>
/// What an inference produced: the version that ran, the request it ran (with its online features), the outputs, the
/// fallback that answered instead of the model, if one did, and how the request reached the version (<see cref="PredictionRoutes"/>).
/// </summary>
public sealed record InferenceResult(ModelVersion Version, InferRequest Request, IReadOnlyList<InferTensor> Outputs, string? Fallback = null, string Route = PredictionRoutes.Default)
{
    /// <summary>The request as the caller sent it (read, before any online feature was added).</summary>
    public InferRequest Sent { get; init; } = Request;

    /// <summary>The signature <see cref="Sent"/> was read against.</summary>
    public RequestSignature? SentTo { get; init; }
}
