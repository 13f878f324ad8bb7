using System.Collections.Concurrent;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// The thread that runs cell code, reused from cell to cell (starting a thread with a large stack
/// for every cell costs time on every cell). A cell that was abandoned after an interrupt keeps
/// its thread; the next cell gets a new one.
/// </summary>
internal sealed class CellThread
{
    private const int StackSize = 16 * 1024 * 1024;
    private readonly BlockingCollection<Action> _work = new();

    private CellThread()
    {
        var thread = new Thread(Loop, StackSize) { IsBackground = true, Name = "notebookml cell" };
        thread.Start();
    }

    public static CellThread Start() => new();

    /// <summary>Runs <paramref name="work"/> on this thread; the task completes with its result.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception exception)
            {
                completion.TrySetException(exception);
            }
        });
        return completion.Task;
    }

    /// <summary>Lets the thread end once its current work is done (it may never be, if abandoned).</summary>
    public void Retire() => _work.CompleteAdding();

    private void Loop()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            work();
            // Each cell sets its own context; none may leak into the next.
            SubmissionContext.Current = null;
        }
    }
}
