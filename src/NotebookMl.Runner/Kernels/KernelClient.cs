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

    private KernelClient(KernelSpec spec, KernelProcess process, KernelChannels channels, MessageFactory messages, TimeProvider timeProvider, string runtimeFolder)
    {
        Spec = spec;
        _process = process;
        _channels = channels;
        _messages = messages;
        _timeProvider = timeProvider;
        _runtimeFolder = runtimeFolder;
    }

    /// <summary>The kernelspec the kernel was started from.</summary>
    public KernelSpec Spec { get; }

    /// <summary>The content of the kernel's <c>kernel_info_reply</c>.</summary>
    public JsonObject KernelInfo { get; private set; } = [];

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
    public static async Task<KernelClient> StartAsync(KernelSpec spec, string workingDirectory, TimeProvider timeProvider, TimeSpan startupTimeout, CancellationToken cancellationToken)
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

        cancellationToken.ThrowIfCancellationRequested();
        var runtimeFolder = Directory.CreateTempSubdirectory("notebookml-kernel-").FullName;
        var messages = new MessageFactory(timeProvider);
        KernelProcess process;
        KernelChannels channels;
        try
        {
            var (connection, connectionFile) = ConnectionFile.Write(runtimeFolder, messages.Session);
            var wire = new WireFormat(new MessageSigner(connection.Key));
            process = KernelProcess.Start(spec, connectionFile, Path.GetFullPath(workingDirectory));
            channels = new KernelChannels(connection, wire, messages.Session, process.Note);
        }
        catch
        {
            Directory.Delete(runtimeFolder, recursive: true);
            throw;
        }

        var client = new KernelClient(spec, process, channels, messages, timeProvider, runtimeFolder);
        try
        {
            client.KernelInfo = await client.WaitUntilReadyAsync(startupTimeout, cancellationToken);
            return client;
        }
        catch
        {
            process.Kill();
            await client.DisposeAsync();
            throw;
        }
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
    /// <exception cref="OperationCanceledException">Cancelled: the cell was interrupted.</exception>
    public async Task<CellExecution> ExecuteAsync(string code, Action<JsonObject>? onOutput, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_process.HasExited)
            {
                throw await DiedAsync("before the cell could run");
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
            catch (IOException)
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

    private async Task<JsonObject> WaitUntilReadyAsync(TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var requests = new HashSet<string>(StringComparer.Ordinal);
        var nextRequest = TimeSpan.Zero;
        JsonObject? info = null;
        var iopubDelivers = false;
        while (true)
        {
            var elapsed = _timeProvider.GetElapsedTime(started);
            while (_channels.Inbox.TryRead(out var received))
            {
                iopubDelivers |= received.Channel == KernelChannel.Iopub;
                if (received is { Channel: KernelChannel.Shell, Message.MessageType: "kernel_info_reply" } && requests.Contains(received.ParentId))
                {
                    info ??= received.Message.Content;

                    // The reply came but IOPub has not delivered yet (ZeroMQ's slow joiner): ask again soon.
                    nextRequest = elapsed + TimeSpan.FromMilliseconds(200);
                }
            }

            if (info is not null && iopubDelivers)
            {
                return info;
            }

            if (_process.HasExited)
            {
                throw await DiedAsync("while starting");
            }

            if (elapsed >= startupTimeout)
            {
                throw new TimeoutException($"the {Spec.Name} kernel did not answer within {startupTimeout.TotalSeconds:0.#} s of starting; it was stopped.{LogSuffix()}");
            }

            if (elapsed >= nextRequest)
            {
                var request = _messages.Create("kernel_info_request", [], null, []);
                requests.Add(request.MessageId);
                _channels.Send(KernelChannel.Shell, request);
                nextRequest = elapsed + TimeSpan.FromSeconds(1);
            }

            await _channels.WaitForMessageAsync(s_poll, cancellationToken);
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
                return run.WasInterrupted ? throw run.TimedOut() : run.Result();
            }

            if (_process.HasExited)
            {
                // What the kernel sent just before it exited may still be on its way.
                await _channels.WaitForMessageAsync(s_poll, CancellationToken.None);
                while (_channels.Inbox.TryRead(out var received))
                {
                    run.Handle(received);
                }

                return run.IsFinished ? run.Result() : throw await DiedAsync("while running the cell");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                Interrupt();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (run.ShouldInterrupt)
            {
                Interrupt();
                run.Interrupted();
            }
            else if (run.WasInterrupted && run.GivenUp)
            {
                throw run.TimedOut();
            }

            await _channels.WaitForMessageAsync(s_poll, CancellationToken.None);
        }
    }

    private async Task<KernelDiedException> DiedAsync(string when)
    {
        await _process.DrainOutputAsync(TimeSpan.FromSeconds(1));
        var code = _process.ExitCode;
        return new KernelDiedException($"the {Spec.Name} kernel died (exit code {code}) {when}", code, _process.Log);
    }

    private string LogSuffix()
    {
        var log = _process.Log;
        return log.Length == 0 ? "" : $" Its last output:\n{string.Join('\n', log.Split('\n').TakeLast(20))}";
    }
}
