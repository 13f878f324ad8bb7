using NotebookMl.Jupyter.Logging;
using System.Diagnostics;
using System.Runtime.InteropServices;
using NetMQ;
using NetMQ.Sockets;
using NotebookMl.Jupyter.Channels;
using NotebookMl.Jupyter.Wire;
using NotebookMl.Kernel;

namespace NotebookMl.Jupyter;

/// <summary>
/// Serves a <see cref="CSharpKernel"/> over the Jupyter messaging protocol (5.3) on ZeroMQ: shell
/// and control each on a thread of their own, IOPub, stdin, and a heartbeat thread. Interrupts
/// arrive as <c>interrupt_request</c> on control or as SIGINT.
/// </summary>
public sealed class JupyterKernelHost
{
    private readonly ConnectionInfo _connection;
    private readonly CSharpKernel _kernel;
    private readonly KernelLog _log;
    private readonly TimeProvider _timeProvider;

    /// <summary>Prepares a host; nothing is bound until <see cref="RunAsync"/>.</summary>
    public JupyterKernelHost(ConnectionInfo connection, CSharpKernel kernel, KernelLog log)
    {
        _connection = connection;
        _kernel = kernel;
        _log = log;
        _timeProvider = kernel.TimeProvider;
    }

    /// <summary>Serves until a shutdown request, <paramref name="cancellationToken"/>, or the parent process (JPY_PARENT_PID) going away.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Completions compose Roslyn's Features (~1.4 s of CPU): begun now, beside the warm-up, the
        // first Tab after kernel_info is answered within a second; the start takes ~0.7 s longer
        // (tests/benchmarks/RESULTS.md, 2026-12-01).
        _kernel.PrepareLanguageServices();
        var wire = new WireFormat(new MessageSigner(_connection.Key));
        var messages = new MessageFactory(_timeProvider);
        using var iopubSocket = SocketBinding.Bind(new PublisherSocket(), _connection.Address(_connection.IopubPort));
        using var stdinSocket = SocketBinding.Bind(new RouterSocket(), _connection.Address(_connection.StdinPort));
        using var iopub = new IopubChannel(iopubSocket, wire, messages);
        using var stdin = new StdinChannel(stdinSocket, wire, messages, _log);

        var history = new HistoryStore();
        var execute = new ExecuteRequestHandler(_kernel, iopub, stdin, history, messages);
        var handlers = new RequestHandlers(_kernel, iopub, execute, history, messages, _log, _ => stopping.Cancel());
        var shell = new RequestChannel("shell", _connection.Address(_connection.ShellPort), wire, _log, stopping.Token);
        var control = new RequestChannel("control", _connection.Address(_connection.ControlPort), wire, _log, stopping.Token);

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            _kernel.Interrupt();
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        Thread[] threads =
        [
            new HeartbeatChannel(_connection.Address(_connection.HeartbeatPort), stopping.Token).Start(),
            shell.Start(handlers.HandleAsync),
            control.Start(handlers.HandleAsync),
        ];
        iopub.PublishStatus("starting", null);
        _log.Info($"kernel {messages.Session} listening on {_connection.Ip} (shell {_connection.ShellPort}, control {_connection.ControlPort}).");
        _ = WatchParentAsync(stopping);

        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown requested.
        }

        foreach (var thread in threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        _log.Info("kernel stopped.");
    }

    // Jupyter launchers set JPY_PARENT_PID: a kernel whose launcher died must not linger.
    private async Task WatchParentAsync(CancellationTokenSource stopping)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var parent) || parent <= 1)
        {
            return;
        }

        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _timeProvider, CancellationToken.None);
            if (!IsAlive(parent))
            {
                _log.Warn($"parent process {parent} is gone; shutting down.");
                await stopping.CancelAsync();
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
