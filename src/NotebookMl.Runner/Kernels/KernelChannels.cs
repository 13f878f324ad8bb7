using System.Text;
using System.Threading.Channels;
using NetMQ;
using NetMQ.Sockets;
using NotebookMl.Jupyter;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// The client ends of a kernel's channels: DEALER sockets for shell, control and stdin (sharing the
/// session's identity, as jupyter_client does) and a SUB socket on IOPub. One poller thread owns
/// every socket: sends are queued to it, received messages come out of <see cref="Inbox"/>.
/// </summary>
internal sealed class KernelChannels : IDisposable
{
    private static readonly TimeSpan s_sendTimeout = TimeSpan.FromSeconds(1);

    private readonly WireFormat _wire;
    private readonly Action<string> _warn;
    private readonly Dictionary<KernelChannel, NetMQSocket> _sockets;
    private readonly NetMQQueue<(KernelChannel Channel, List<byte[]> Frames)> _outbox = new();
    private readonly Channel<ReceivedMessage> _inbox = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly NetMQPoller _poller;
    private bool _disposed;

    /// <summary>Connects to the kernel of <paramref name="connection"/>; ZeroMQ reconnects until the kernel listens.</summary>
    public KernelChannels(ConnectionInfo connection, WireFormat wire, string session, Action<string> warn)
    {
        _wire = wire;
        _warn = warn;
        var identity = Encoding.UTF8.GetBytes(session);
        var iopub = new SubscriberSocket();
        _sockets = new Dictionary<KernelChannel, NetMQSocket>
        {
            [KernelChannel.Shell] = Dealer(identity),
            [KernelChannel.Control] = Dealer(identity),
            [KernelChannel.Stdin] = Dealer(identity),
            [KernelChannel.Iopub] = iopub,
        };
        iopub.Options.Linger = TimeSpan.Zero;
        iopub.SubscribeToAnyTopic();
        _sockets[KernelChannel.Shell].Connect(connection.Address(connection.ShellPort));
        _sockets[KernelChannel.Control].Connect(connection.Address(connection.ControlPort));
        _sockets[KernelChannel.Stdin].Connect(connection.Address(connection.StdinPort));
        iopub.Connect(connection.Address(connection.IopubPort));

        _poller = new NetMQPoller { _outbox };
        foreach (var (channel, socket) in _sockets)
        {
            socket.ReceiveReady += (_, e) => Receive(channel, e.Socket);
            _poller.Add(socket);
        }

        _outbox.ReceiveReady += (_, _) => SendQueued();
        _poller.RunAsync("jupyter client", isBackgroundThread: true);
    }

    /// <summary>Messages from the kernel, in the order they arrived.</summary>
    public ChannelReader<ReceivedMessage> Inbox => _inbox.Reader;

    /// <summary>Signs and queues <paramref name="message"/> for <paramref name="channel"/>.</summary>
    public void Send(KernelChannel channel, JupyterMessage message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _outbox.Enqueue((channel, _wire.Encode(message)));
    }

    /// <summary>Waits up to <paramref name="limit"/> for a message to be ready in <see cref="Inbox"/>.</summary>
    public async Task WaitForMessageAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        poll.CancelAfter(limit);
        try
        {
            await _inbox.Reader.WaitToReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing arrived in time; the caller checks the kernel and its clocks.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _poller.Stop();
        _poller.Dispose();
        foreach (var socket in _sockets.Values)
        {
            socket.Dispose();
        }

        _outbox.Dispose();
        _inbox.Writer.TryComplete();
    }

    private static DealerSocket Dealer(byte[] identity)
    {
        var socket = new DealerSocket();
        socket.Options.Identity = identity;
        socket.Options.Linger = TimeSpan.Zero;
        return socket;
    }

    private void Receive(KernelChannel channel, NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames))
        {
            if (_wire.TryDecode(frames, out var message, out var problem))
            {
                _inbox.Writer.TryWrite(new ReceivedMessage(channel, message));
            }
            else
            {
                _warn($"[notebookml] ignored a message on {channel.ToString().ToLowerInvariant()}: {problem}");
            }

            frames = new List<byte[]>();
        }
    }

    private void SendQueued()
    {
        while (_outbox.TryDequeue(out var item, TimeSpan.Zero))
        {
            if (!_sockets[item.Channel].TrySendMultipartBytes(s_sendTimeout, item.Frames))
            {
                _warn($"[notebookml] could not send a message on {item.Channel.ToString().ToLowerInvariant()}: the kernel is not reading it.");
            }
        }
    }
}
