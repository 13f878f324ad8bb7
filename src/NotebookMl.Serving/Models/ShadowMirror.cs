using System.Globalization;
using System.Threading.Channels;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Predictions;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// Mirrors answered requests to a model's shadow version, off the request path: the caller already has its answer. One
/// worker runs the mirrored requests in order from a bounded queue, so a shadow never takes more than one core from the
/// served traffic; when the queue is full a mirror is dropped and counted. Each shadow answer goes to the prediction log
/// with the entry id of the request it mirrors, which is how <c>models shadow-report</c> pairs them.
/// </summary>
public sealed class ShadowMirror : IAsyncDisposable
{
    private readonly ModelRepository _repository;
    private readonly ServingMetrics _metrics;
    private readonly PredictionLog _predictions;
    private readonly Action<string> _log;
    private readonly Channel<Job> _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _worker;

    /// <summary>A mirror running shadows of <paramref name="repository"/>'s models into <paramref name="predictions"/>.</summary>
    public ShadowMirror(ModelRepository repository, ServingMetrics metrics, PredictionLog predictions, Action<string> log)
    {
        (_repository, _metrics, _predictions, _log) = (repository, metrics, predictions, log);
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>Queues <paramref name="request"/> for version <paramref name="version"/> of <paramref name="name"/> (never waits).</summary>
    public void Mirror(string name, int version, string entry, InferRequest request)
    {
        if (!_jobs.Writer.TryWrite(new Job(name, version, entry, request)))
        {
            _metrics.Shadow.WithLabels(name, Label(version), "dropped").Inc();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await _worker;
    }

    private async Task WorkAsync()
    {
        await foreach (var job in _jobs.Reader.ReadAllAsync())
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                using var lease = _repository.Acquire(job.Name, job.Version);
                // The shadow may take other inputs than the version that answered: checked against its own signature.
                var request = InferRequestValidator.Validate(job.Request, lease.Version.Signature, job.Name);
                var outputs = await lease.Version.RunAsync(request.Inputs, request.Outputs);
                var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                _predictions.Append(new PredictionRecord(_predictions.Now, job.Name, job.Version, PredictionRoutes.Shadow, job.Entry, request, outputs, latency, null));
                _metrics.Shadow.WithLabels(job.Name, Label(job.Version), "mirrored").Inc();
            }
            catch (Exception e)
            {
                // A shadow's failure is its own: counted and logged, never the caller's.
                _metrics.Shadow.WithLabels(job.Name, Label(job.Version), "failed").Inc();
                _log($"{job.Name}: shadow version {job.Version} failed: {e.Message}");
            }
        }
    }

    private static string Label(int version) => version.ToString(CultureInfo.InvariantCulture);

    private sealed record Job(string Name, int Version, string Entry, InferRequest Request);
}
