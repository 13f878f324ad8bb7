using NetMQ;

namespace NotebookMl.Jupyter.Channels;

/// <summary>Binds a channel's socket, turning ZeroMQ's failure into a message that names the address.</summary>
internal static class SocketBinding
{
    public static T Bind<T>(T socket, string address) where T : NetMQSocket
    {
        try
        {
            socket.Bind(address);
            return socket;
        }
        catch (NetMQException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen on {address} ({e.ErrorCode}): is another kernel using this connection file?", e);
        }
    }
}
