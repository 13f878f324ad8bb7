using NetMQ;
using NetMQ.Sockets;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Jupyter.Channels;

/// <summary>
/// A request/reply channel (shell or control) served by one thread: requests are handled in the
/// order they arrive; a message with a bad signature is logged and ignored.
/// </summary>
internal sealed class RequestChannel(string name, string address, WireFormat wire, KernelLog log, CancellationToken stopping)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private readonly object _sync = new();
    private RouterSocket? _socket;
    private readonly ManualResetEventSlim _bound = new();

    public string Name => name;

    public Thread Start(Func<JupyterMessage, RequestChannel, Task> handle)
    {
        var thread = new Thread(() => Run(handle)) { IsBackground = true, Name = $"jupyter {name}" };
        thread.Start();
        _bound.Wait();
        return thread;
    }

    public void Send(JupyterMessage message)
    {
        lock (_sync)
        {
            _socket?.SendMultipartBytes(wire.Encode(message));
        }
    }

    /// <summary>Takes a request already waiting, without blocking (used to abort queued cells after an error).</summary>
    public JupyterMessage? TryTakePending()
    {
        var frames = new List<byte[]>();
        lock (_sync)
        {
            if (_socket is null || !_socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
            {
                return null;
            }
        }

        return wire.TryDecode(frames, out var message, out _) ? message : null;
    }

    private void Run(Func<JupyterMessage, RequestChannel, Task> handle)
    {
        using var socket = new RouterSocket();
        socket.Options.RouterHandover = true;
        socket.Bind(address);
        _socket = socket;
        _bound.Set();
        while (!stopping.IsCancellationRequested)
        {
            var frames = new List<byte[]>();
            bool received;
            lock (_sync)
            {
                received = socket.TryReceiveMultipartBytes(s_poll, ref frames);
            }

            if (!received)
            {
                continue;
            }

            if (!wire.TryDecode(frames, out var message, out var problem))
            {
                log.Warn($"{name}: ignored a message: {problem}");
                continue;
            }

            try
            {
                handle(message, this).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                log.Error($"{name}: {message.MessageType} failed: {e}");
            }
        }

        lock (_sync)
        {
            _socket = null;
        }
    }
}
