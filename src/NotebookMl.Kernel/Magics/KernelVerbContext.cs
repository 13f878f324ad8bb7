using NotebookMl.Kernel.Execution;
using NotebookMl.Verbs;

namespace NotebookMl.Kernel.Magics;

/// <summary>
/// A verb running as a magic command: results are displayed in the cell's output. Kernel-only
/// verbs (<c>#!time</c>, <c>#!who</c>) reach the kernel and the rest of the cell through it.
/// </summary>
public sealed class KernelVerbContext : IVerbContext
{
    private readonly Func<Task<bool>> _runRestOfCell;
    private readonly SubmissionContext _submission;

    internal KernelVerbContext(CSharpKernel kernel, SubmissionContext submission, Func<Task<bool>> runRestOfCell)
    {
        Kernel = kernel;
        _submission = submission;
        _runRestOfCell = runRestOfCell;
    }

    /// <summary>The kernel the magic command runs in.</summary>
    public CSharpKernel Kernel { get; }

    /// <summary>True once a verb ran the rest of the cell itself (as <c>#!time</c> does).</summary>
    internal bool RestOfCellTaken { get; private set; }

    /// <inheritdoc/>
    public void Display(object value) => _submission.Display(value, []);

    /// <inheritdoc/>
    public void WriteLine(string text) => _submission.Write(Events.StandardStream.Output, text + "\n");

    /// <inheritdoc/>
    public T WithProgress<T>(string title, Func<IProgress<ProgressUpdate>, T> work)
    {
        var handle = _submission.Display(NotebookMl.Verbs.Progress.ProgressDisplay.Starting(title), []);
        var progress = new NotebookMl.Verbs.Progress.ProgressDisplay(title, r => handle.Update(r), handle.TimeProvider);
        try
        {
            return work(progress);
        }
        finally
        {
            progress.Flush();
        }
    }

    /// <summary>Runs the lines of the cell after this magic command; false when they failed.</summary>
    public Task<bool> RunRestOfCellAsync()
    {
        RestOfCellTaken = true;
        return _runRestOfCell();
    }
}
