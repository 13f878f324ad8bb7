using NotebookMl.Jupyter.Logging;
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
    private RouterSocket? _socket;

    public string Name => name;

    /// <summary>Binds on the calling thread (so a port in use fails here, loudly), then serves on a thread of its own.</summary>
    public Thread Start(Func<JupyterMessage, RequestChannel, Task> handle)
    {
        var socket = SocketBinding.Bind(new RouterSocket(), address);
        socket.Options.RouterHandover = true;
        _socket = socket;
        var thread = new Thread(() => Run(socket, handle)) { IsBackground = true, Name = $"jupyter {name}" };
        thread.Start();
        return thread;
    }

    /// <summary>Sends a reply; only the channel's own thread (or a continuation of its handler) sends.</summary>
    public void Send(JupyterMessage message) => _socket?.SendMultipartBytes(wire.Encode(message));

    /// <summary>Takes a request already waiting, without blocking (used to abort queued cells after an error).</summary>
    public JupyterMessage? TryTakePending()
    {
        var frames = new List<byte[]>();
        if (_socket is null || !_socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            return null;
        }

        return wire.TryDecode(frames, out var message, out _) ? message : null;
    }

    private void Run(RouterSocket socket, Func<JupyterMessage, RequestChannel, Task> handle)
    {
        using (socket)
        {
            while (!stopping.IsCancellationRequested)
            {
                var frames = new List<byte[]>();
                if (!socket.TryReceiveMultipartBytes(s_poll, ref frames))
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

            _socket = null;
        }
    }
}
