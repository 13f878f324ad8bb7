using System.Threading.Channels;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Models;

/// <summary>
/// Dynamic batching for one served version, with Triton's semantics: concurrent requests are joined along their first
/// (batch) dimension into one ONNX Runtime call of at most <c>maxRows</c> rows; the first request of a batch waits at
/// most <c>maxDelay</c> for others; each request gets its own rows of every output back, in order. Requests asking for
/// different outputs are not joined. A joined call that fails is retried request by request, so one request's failure
/// stays its own.
/// </summary>
internal sealed class DynamicBatcher
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<InferTensor>, IReadOnlyList<string>, IReadOnlyList<InferTensor>> _run;
    private readonly int _maxRows;
    private readonly TimeSpan _maxDelay;
    private readonly Action<int> _observeBatch;
    private readonly Action<TimeSpan> _observeQueue;

    public DynamicBatcher(Func<IReadOnlyList<InferTensor>, IReadOnlyList<string>, IReadOnlyList<InferTensor>> run, int maxRows, TimeSpan maxDelay, Action<int> observeBatch, Action<TimeSpan> observeQueue)
    {
        (_run, _maxRows, _maxDelay, _observeBatch, _observeQueue) = (run, maxRows, maxDelay, observeBatch, observeQueue);
        _ = Task.Factory.StartNew(LoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues a request of <paramref name="rows"/> rows; completes with its outputs.</summary>
    public Task<IReadOnlyList<InferTensor>> RunAsync(IReadOnlyList<InferTensor> inputs, IReadOnlyList<string> outputs, long rows)
    {
        var pending = new Pending(inputs, outputs, rows, new TaskCompletionSource<IReadOnlyList<InferTensor>>(TaskCreationOptions.RunContinuationsAsynchronously), System.Diagnostics.Stopwatch.GetTimestamp());
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Done.SetException(new InferenceException(503, "the model version was unloaded; try again."));
        }

        return pending.Done.Task;
    }

    /// <summary>No more requests; those queued are still run.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task LoopAsync()
    {
        Pending? carried = null;
        while (carried is not null || await _queue.Reader.WaitToReadAsync())
        {
            if (carried is null && !_queue.Reader.TryRead(out carried))
            {
                continue;
            }

            var batch = new List<Pending> { carried };
            var rows = carried.Rows;
            carried = null;
            var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(_maxDelay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            while (rows < _maxRows)
            {
                if (!_queue.Reader.TryRead(out var next))
                {
                    var wait = TimeSpan.FromSeconds((deadline - System.Diagnostics.Stopwatch.GetTimestamp()) / (double)System.Diagnostics.Stopwatch.Frequency);
                    if (wait <= TimeSpan.Zero)
                    {
                        break;
                    }

                    using var timeout = new CancellationTokenSource(wait);
                    try
                    {
                        if (!await _queue.Reader.WaitToReadAsync(timeout.Token))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    continue;
                }

                if (rows + next.Rows > _maxRows || !next.Outputs.SequenceEqual(batch[0].Outputs))
                {
                    carried = next;
                    break;
                }

                batch.Add(next);
                rows += next.Rows;
            }

            Execute(batch, rows);
        }
    }

    private void Execute(List<Pending> batch, long rows)
    {
        foreach (var pending in batch)
        {
            _observeQueue(System.Diagnostics.Stopwatch.GetElapsedTime(pending.Queued));
        }

        if (batch.Count == 1)
        {
            RunOne(batch[0]);
            return;
        }

        IReadOnlyList<InferTensor> joined;
        try
        {
            joined = _run(Join(batch.Select(p => p.Inputs).ToArray(), rows), batch[0].Outputs);
        }
        catch (Exception)
        {
            batch.ForEach(RunOne);
            return;
        }

        _observeBatch((int)rows);
        if (joined.Any(o => o.Shape.Length == 0 || o.Shape[0] != rows))
        {
            // An output that is not per row cannot be split back: run each request alone.
            batch.ForEach(RunOne);
            return;
        }

        long offset = 0;
        foreach (var pending in batch)
        {
            pending.Done.SetResult(joined.Select(o => Slice(o, offset, pending.Rows)).ToArray());
            offset += pending.Rows;
        }
    }

    private void RunOne(Pending pending)
    {
        try
        {
            pending.Done.SetResult(_run(pending.Inputs, pending.Outputs));
            _observeBatch((int)pending.Rows);
        }
        catch (Exception e)
        {
            pending.Done.SetException(e);
        }
    }

    /// <summary>The inputs of several requests (the same names and row shapes) as one request of <paramref name="rows"/> rows, in order.</summary>
    internal static InferTensor[] Join(IReadOnlyList<IReadOnlyList<InferTensor>> batch, long rows) =>
        batch[0].Select(input =>
        {
            var parts = batch.Select(p => p.First(i => i.Name == input.Name).Data).ToArray();
            var data = Array.CreateInstance(input.Data.GetType().GetElementType()!, parts.Sum(p => p.Length));
            var at = 0;
            foreach (var part in parts)
            {
                Array.Copy(part, 0, data, at, part.Length);
                at += part.Length;
            }

            return new InferTensor(input.Name, input.DataType, [rows, .. input.Shape[1..]], data);
        }).ToArray();

    /// <summary>Rows [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="rows"/>) of a joined output.</summary>
    internal static InferTensor Slice(InferTensor output, long offset, long rows)
    {
        var perRow = output.Shape[0] == 0 ? 0 : output.Data.Length / output.Shape[0];
        var data = Array.CreateInstance(output.Data.GetType().GetElementType()!, rows * perRow);
        Array.Copy(output.Data, offset * perRow, data, 0, rows * perRow);
        return new InferTensor(output.Name, output.DataType, [rows, .. output.Shape[1..]], data);
    }

    private sealed record Pending(IReadOnlyList<InferTensor> Inputs, IReadOnlyList<string> Outputs, long Rows, TaskCompletionSource<IReadOnlyList<InferTensor>> Done, long Queued);
}
