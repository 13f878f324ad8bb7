using NetMQ;
using NetMQ.Sockets;

namespace NotebookMl.Jupyter.Channels;

/// <summary>Echoes heartbeat pings on a thread of its own, so a busy kernel still looks alive.</summary>
internal sealed class HeartbeatChannel(string address, CancellationToken stopping)
{
    public Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "jupyter heartbeat" };
        thread.Start();
        return thread;
    }

    private void Run()
    {
        using var socket = new ResponseSocket();
        socket.Bind(address);
        while (!stopping.IsCancellationRequested)
        {
            if (socket.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(200), out var ping))
            {
                socket.SendFrame(ping);
            }
        }
    }
}
