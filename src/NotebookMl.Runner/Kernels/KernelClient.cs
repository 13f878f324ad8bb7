using System.Text.Json.Nodes;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// Runs a Jupyter kernel in a child process and drives it over ZeroMQ, as jupyter_client and
/// nbclient do: starts it from its kernelspec, waits until it answers, runs cells collecting their
/// outputs, interrupts, shuts down. A kernel that exits or hangs is detected, never waited on forever.
/// </summary>
public sealed class KernelClient : IAsyncDisposable
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_shutdownWait = TimeSpan.FromSeconds(5);

    private readonly KernelProcess _process;
    private readonly KernelChannels _channels;
    private readonly MessageFactory _messages;
    private readonly TimeProvider _timeProvider;
    private readonly string _runtimeFolder;
    private readonly DisplayRegistry _displays = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    internal KernelClient(KernelSpec spec, KernelProcess process, KernelChannels channels, MessageFactory messages, TimeProvider timeProvider, string runtimeFolder, JsonObject kernelInfo)
    {
        Spec = spec;
        KernelInfo = kernelInfo;
        _process = process;
        _channels = channels;
        _messages = messages;
        _timeProvider = timeProvider;
        _runtimeFolder = runtimeFolder;
    }

    /// <summary>The kernelspec the kernel was started from.</summary>
    public KernelSpec Spec { get; }

    /// <summary>The content of the kernel's <c>kernel_info_reply</c>.</summary>
    public JsonObject KernelInfo { get; }

    /// <summary>The kernel process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the kernel process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines (about 200) the kernel wrote to stdout and stderr.</summary>
    public string KernelLog => _process.Log;

    /// <summary>
    /// Starts the kernel of <paramref name="spec"/> in <paramref name="workingDirectory"/> and waits
    /// until it answers <c>kernel_info_request</c> (sent every second) and its IOPub channel delivers.
    /// </summary>
    /// <exception cref="KernelDiedException">The kernel could not be started or exited while starting.</exception>
    /// <exception cref="TimeoutException">The kernel did not answer within <paramref name="startupTimeout"/>; it is killed.</exception>
    public static Task<KernelClient> StartAsync(KernelSpec spec, string workingDirectory, TimeProvider timeProvider, TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (spec.Argv.Count == 0)
        {
            throw new ArgumentException($"kernelspec '{spec.Name}' has an empty argv; it cannot be started.", nameof(spec));
        }

        if (!Directory.Exists(workingDirectory))
        {
            throw new DirectoryNotFoundException($"the kernel's working directory {workingDirectory} does not exist.");
        }

        return KernelLauncher.StartAsync(spec, Path.GetFullPath(workingDirectory), timeProvider, startupTimeout, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="code"/> (an <c>execute_request</c> with <c>stop_on_error</c>) and
    /// collects its outputs until the reply has come and the kernel is idle. Each new or changed
    /// output goes to <paramref name="onOutput"/> as it comes (for a stream, the new text only).
    /// Calls are run one at a time.
    /// </summary>
    /// <exception cref="KernelDiedException">The kernel exited before the cell finished.</exception>
    /// <exception cref="CellTimeoutException">
    /// The cell ran past <paramref name="timeout"/>; it was interrupted, and the kernel given 5 s to answer.
    /// </exception>
    /// <exception cref="OperationCanceledException">
    /// Cancelled: the cell was interrupted, and the kernel given up to 5 s to answer before this is thrown.
    /// </exception>
    public async Task<CellExecution> ExecuteAsync(string code, Action<JsonObject>? onOutput, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_process.HasExited)
            {
                throw await _process.DiedAsync(Spec.Name, "before the cell could run");
            }

            var request = _messages.Create("execute_request", new JsonObject
            {
                ["code"] = code,
                ["silent"] = false,
                ["store_history"] = true,
                ["user_expressions"] = new JsonObject(),
                ["allow_stdin"] = false,
                ["stop_on_error"] = true,
            }, null, []);
            var run = new CellRun(request.MessageId, new OutputCollector(_displays, onOutput), _timeProvider, timeout);
            _channels.Send(KernelChannel.Shell, request);
            return await WaitForCellAsync(run, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Interrupts the running cell: <c>interrupt_request</c> on control for <c>interrupt_mode: message</c>,
    /// else SIGINT to the process. Does not wait for the kernel.
    /// </summary>
    public Task InterruptAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interrupt();
        return Task.CompletedTask;
    }

    /// <summary>Asks the kernel to shut down (<c>shutdown_request</c> on control), killing it if it has not exited 5 s later.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process.HasExited)
        {
            return;
        }

        _channels.Send(KernelChannel.Control, _messages.Create("shutdown_request", new JsonObject { ["restart"] = false }, null, []));
        if (!await _process.WaitForExitAsync(s_shutdownWait, cancellationToken))
        {
            _process.Kill();
        }
    }

    /// <summary>Shuts the kernel down (killing it if need be), closes the sockets and deletes the connection file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await ShutdownAsync(CancellationToken.None);
        }
        finally
        {
            _disposed = true;
            _process.Kill();
            _channels.Dispose();
            _process.Dispose();
            _gate.Dispose();
            try
            {
                Directory.Delete(_runtimeFolder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left in the temp folder; nothing depends on it any more.
            }
        }
    }

    private void Interrupt()
    {
        if (Spec.InterruptMode == KernelSpec.MessageInterrupt)
        {
            _channels.Send(KernelChannel.Control, _messages.Create("interrupt_request", [], null, []));
        }
        else
        {
            _process.Interrupt();
        }
    }

    private async Task<CellExecution> WaitForCellAsync(CellRun run, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (_channels.Inbox.TryRead(out var received))
            {
                run.Handle(received);
            }

            if (run.IsFinished)
            {
                return Finish(run, cancellationToken);
            }

            if (_process.HasExited)
            {
                // What the kernel sent just before it exited may still be on its way.
                await _channels.WaitForMessageAsync(s_poll, CancellationToken.None);
                while (_channels.Inbox.TryRead(out var received))
                {
                    run.Handle(received);
                }

                return run.IsFinished ? Finish(run, cancellationToken) : throw await _process.DiedAsync(Spec.Name, "while running the cell");
            }

            // Cancelled or past its timeout: interrupt, then give the kernel a grace period to answer,
            // so that it is idle again (and its error output collected) when the caller goes on.
            if (!run.WasInterrupted && (cancellationToken.IsCancellationRequested || run.IsPastTimeout))
            {
                Interrupt();
                run.Interrupted();
            }
            else if (run.WasInterrupted && run.GivenUp)
            {
                throw cancellationToken.IsCancellationRequested ? run.Cancelled(cancellationToken) : run.TimedOut();
            }

            await _channels.WaitForMessageAsync(s_poll, CancellationToken.None);
        }
    }

    private static CellExecution Finish(CellRun run, CancellationToken cancellationToken)
    {
        if (!run.WasInterrupted)
        {
            return run.Result();
        }

        throw cancellationToken.IsCancellationRequested ? run.Cancelled(cancellationToken) : run.TimedOut();
    }
}
