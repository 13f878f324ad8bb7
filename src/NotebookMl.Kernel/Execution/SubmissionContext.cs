using System.Text;
using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Display;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// The state of one running command: where its events go, its console buffers, its input
/// provider and its interrupt flag. Flows with the cell's code (and threads and tasks it starts)
/// through an <see cref="AsyncLocal{T}"/>, so console output and displays find their cell.
/// </summary>
internal sealed class SubmissionContext
{
    private static readonly AsyncLocal<SubmissionContext?> s_current = new();
    private const int FlushThreshold = 64 * 1024;

    private readonly Action<KernelEvent> _observer;
    private readonly object _sync = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource _interruptRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _interrupted;
    private volatile bool _completed;

    public SubmissionContext(CSharpKernel kernel, Action<KernelEvent> observer, InputProvider? inputProvider)
    {
        Kernel = kernel;
        _observer = observer;
        InputProvider = inputProvider;
    }

    /// <summary>The context of the code running on this logical thread, if any.</summary>
    public static SubmissionContext? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    public CSharpKernel Kernel { get; }

    /// <summary>The cell being run, as the front-end named it.</summary>
    public string? Cell { get; init; }

    public InputProvider? InputProvider { get; }

    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Set when the command's code was abandoned after an interrupt and may still run.</summary>
    public bool Abandoned { get; set; }

    public bool IsInterrupted => Volatile.Read(ref _interrupted) == 1;

    /// <summary>Completes when the user interrupts this command.</summary>
    public Task WhenInterrupted => _interruptRequested.Task;

    /// <summary>
    /// Where output from this context should go: itself while running; once finished (a task the
    /// cell left running), the cell running now, as ipykernel does.
    /// </summary>
    public SubmissionContext? Target => _completed ? Kernel.ActiveContext : this;

    public void Publish(KernelEvent kernelEvent)
    {
        FlushStreams();
        lock (_sync)
        {
            _observer(kernelEvent);
        }
    }

    public void Write(StandardStream stream, string text)
    {
        bool flush;
        lock (_sync)
        {
            var buffer = stream == StandardStream.Output ? _stdout : _stderr;
            buffer.Append(text);
            flush = buffer.Length > FlushThreshold;
        }

        if (flush)
        {
            FlushStreams();
        }
    }

    /// <summary>Takes the unfinished last line of stdout, to be shown as the prompt of an input request.</summary>
    public string TakePendingPrompt()
    {
        lock (_sync)
        {
            var text = _stdout.ToString();
            var lastNewline = text.LastIndexOf('\n');
            _stdout.Remove(lastNewline + 1, text.Length - lastNewline - 1);
            return text[(lastNewline + 1)..];
        }
    }

    public void FlushStreams()
    {
        lock (_sync)
        {
            Drain(StandardStream.Output, _stdout);
            Drain(StandardStream.Error, _stderr);
        }
    }

    public DisplayHandle Display(object? value, IReadOnlyList<string> mimeTypes)
    {
        var handle = new DisplayHandle(Kernel, Kernel.NewDisplayId());
        Publish(new DisplayedValueProduced(ValueFormatter.Format(value, mimeTypes), handle.DisplayId));
        return handle;
    }

    public void RequestInterrupt()
    {
        if (Interlocked.Exchange(ref _interrupted, 1) == 0)
        {
            Interruption.Requested();
            _cancellation.Cancel();
            _interruptRequested.TrySetResult();
        }
    }

    public void ThrowIfInterrupted()
    {
        if (IsInterrupted)
        {
            throw new KernelInterruptedException();
        }
    }

    /// <summary>Ends the command: flushes output; <paramref name="settled"/> is false when its code may still run.</summary>
    public void Complete(bool settled)
    {
        if (_completed)
        {
            return;
        }

        FlushStreams();
        _completed = true;
        if (settled && IsInterrupted)
        {
            Interruption.Settled();
        }
    }

    private void Drain(StandardStream stream, StringBuilder buffer)
    {
        if (buffer.Length > 0)
        {
            var text = buffer.ToString();
            buffer.Clear();
            _observer(new StandardStreamTextProduced(stream, text));
        }
    }
}
