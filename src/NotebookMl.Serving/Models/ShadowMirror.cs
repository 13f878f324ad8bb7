using System.Globalization;
using System.Threading.Channels;
using NotebookMl.Serving.Metrics;
using NotebookMl.Serving.Predictions;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// Mirrors answered requests to a model's shadow version, off the request path: the caller already has its answer. One
/// thread runs the mirrored requests from a bounded queue on a session of its own that keeps every run on that thread,
/// so a shadow never takes more than one core; the mirrors of a few milliseconds run as one batch (a shadow answer's
/// latency is its batch's run). When the queue is full a mirror is dropped and counted. The shadow gets each request as its caller
/// sent it, projected onto its own signature, with its own online features. Each shadow answer goes to the prediction log with
/// the entry id of the request it mirrors, which is how <c>models shadow-report</c> pairs them; a mirror that fails goes there
/// too, with its reason, so the report counts failures and says why.
/// </summary>
public sealed class ShadowMirror : IAsyncDisposable
{
    private readonly ModelRepository _repository;
    private readonly ServingMetrics _metrics;
    private readonly PredictionLog _predictions;
    private readonly Action<string> _log;
    private readonly Channel<Job> _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Thread _worker;
    private const int MaxBatch = 1024;
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(5);

    /// <summary>A mirror running shadows of <paramref name="repository"/>'s models into <paramref name="predictions"/>.</summary>
    public ShadowMirror(ModelRepository repository, ServingMetrics metrics, PredictionLog predictions, Action<string> log)
    {
        (_repository, _metrics, _predictions, _log) = (repository, metrics, predictions, log);
        _worker = new Thread(Work) { IsBackground = true, Name = "notebookml-shadow" };
        _worker.Start();
    }

    /// <summary>
    /// Queues <paramref name="request"/>, as its caller sent it and as read against <paramref name="sentTo"/>, for version
    /// <paramref name="version"/> of <paramref name="name"/> (never waits).
    /// </summary>
    public void Mirror(string name, int version, long entry, InferRequest request, RequestSignature sentTo)
    {
        if (!_jobs.Writer.TryWrite(new Job(name, version, entry, request, sentTo)))
        {
            _metrics.Shadow.WithLabels(name, Label(version), "dropped").Inc();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        await Task.Run(_worker.Join);
    }

    // On a thread of its own, with a session that keeps every run on it: a shadow never takes more than one core.
    // (Not at a lower OS priority: the garbage collector waits for every managed thread to reach a safe point, and a
    // starved thread made the served requests wait for it: p99 14 ms instead of 3 in serving_traffic.sh.)
    private void Work()
    {
        while (_jobs.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            // Mirrors gather for a few milliseconds and run in batches: a shadow then costs a small share of one core.
            // (Smaller batches were worse: 16 with a yield between them gave p99 6 ms, and 32 with 1 ms sleeps 5.4 ms.)
            Thread.Sleep(Gather);
            var jobs = new List<Job>();
            while (_jobs.Reader.TryRead(out var job))
            {
                jobs.Add(job);
            }

            foreach (var group in jobs.GroupBy(j => (j.Name, j.Version)))
            {
                foreach (var chunk in group.Chunk(MaxBatch))
                {
                    Run(group.Key.Name, group.Key.Version, chunk);
                }
            }
        }
    }

    private void Run(string name, int version, Job[] jobs)
    {
        Lease lease;
        try
        {
            lease = _repository.AcquireShadow(name, version);
        }
        catch (InferenceException e)
        {
            foreach (var job in jobs)
            {
                Failed(name, version, job, job.Request, e);
            }

            return;
        }

        using (lease)
        {
            var valid = new List<(Job Job, InferRequest Request)>();
            foreach (var job in jobs)
            {
                try
                {
                    // The shadow may take other inputs than the version that answered: projected onto its own signature,
                    // with its own online features (this thread is the shadow's; a lookup waits here, not on a request).
                    valid.Add((job, lease.Version.PrepareAsync(job.Request, job.SentTo, name).GetAwaiter().GetResult()));
                }
                catch (Exception e) when (e is InferenceException or InvalidOperationException or IOException)
                {
                    Failed(name, version, job, job.Request, e);
                }
            }

            // Requests with the same inputs and outputs asked for run together; any other runs alone.
            foreach (var batch in valid.GroupBy(v => string.Join(";", v.Request.Inputs.Select(i => $"{i.Name}{InferRequestValidator.Shape(i.Shape.Skip(1))}")) + "|" + string.Join(",", v.Request.Outputs)))
            {
                RunBatch(name, version, lease.Version, batch.ToArray());
            }
        }
    }

    private void RunBatch(string name, int version, ServedVersion served, (Job Job, InferRequest Request)[] batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rows = batch.Select(b => b.Request.Inputs.FirstOrDefault(i => i.Shape.Length > 0)?.Shape[0] ?? 1).ToArray();
        try
        {
            var outputs = served.Run(DynamicBatcher.Join(batch.Select(b => b.Request.Inputs).ToArray(), rows.Sum()), batch[0].Request.Outputs);
            var latency = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            long offset = 0;
            for (var i = 0; i < batch.Length; i++)
            {
                var own = batch.Length == 1 ? outputs : outputs.Select(o => DynamicBatcher.Slice(o, offset, rows[i])).ToArray();
                offset += rows[i];
                _predictions.Append(new PredictionRecord(_predictions.Now, name, version, PredictionRoutes.Shadow, batch[i].Job.Entry, batch[i].Request, own, latency, null));
            }

            _metrics.Shadow.WithLabels(name, Label(version), "mirrored").Inc(batch.Length);
        }
        catch (Exception e) when (batch.Length > 1)
        {
            // The batch failed (or an output is not per row): each request alone, so one bad request fails only itself.
            _log($"{name}: shadow version {version} failed on a batch of {batch.Length} ({e.Message.Split('\n')[0]}); running them one by one");
            foreach (var one in batch)
            {
                RunBatch(name, version, served, [one]);
            }
        }
        catch (Exception e)
        {
            // A shadow's failure is its own: counted, logged and kept in the prediction log, never the caller's.
            Failed(name, version, batch[0].Job, batch[0].Request, e);
        }
    }

    private void Failed(string name, int version, Job job, InferRequest request, Exception e)
    {
        var reason = e.Message.Split('\n')[0];
        _metrics.Shadow.WithLabels(name, Label(version), "failed").Inc();
        _predictions.Append(new PredictionRecord(_predictions.Now, name, version, PredictionRoutes.Shadow, job.Entry, request, [], 0, null) { Error = reason });
        _log($"{name}: shadow version {version} failed: {reason}");
    }

    private static string Label(int version) => version.ToString(CultureInfo.InvariantCulture);

    private sealed record Job(string Name, int Version, long Entry, InferRequest Request, RequestSignature SentTo);
}
