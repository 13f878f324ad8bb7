using NetMQ;
using NetMQ.Sockets;

namespace NotebookMl.Jupyter.Channels;

/// <summary>Echoes heartbeat pings on a thread of its own, so a busy kernel still looks alive.</summary>
internal sealed class HeartbeatChannel(string address, CancellationToken stopping)
{
    /// <summary>Binds on the calling thread (a port in use fails here), then echoes on a thread of its own.</summary>
    public Thread Start()
    {
        var socket = SocketBinding.Bind(new ResponseSocket(), address);
        var thread = new Thread(() => Run(socket)) { IsBackground = true, Name = "jupyter heartbeat" };
        thread.Start();
        return thread;
    }

    private void Run(ResponseSocket socket)
    {
        using (socket)
        {
            while (!stopping.IsCancellationRequested)
            {
                if (socket.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(200), out var ping))
                {
                    socket.SendFrame(ping);
                }
            }
        }
    }
}
