using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Jupyter.Channels;

/// <summary>The IOPub broadcast channel; safe to publish on from any thread.</summary>
internal sealed class IopubChannel(PublisherSocket socket, WireFormat wire, MessageFactory messages) : IDisposable
{
    private readonly object _sync = new();

    public void Publish(string messageType, JsonObject content, JupyterMessage? parent)
    {
        var topic = Encoding.UTF8.GetBytes($"kernel.{messages.Session}.{messageType}");
        var frames = wire.Encode(messages.Create(messageType, content, parent, [topic]));
        lock (_sync)
        {
            socket.SendMultipartBytes(frames);
        }
    }

    public void PublishStatus(string state, JupyterMessage? parent) =>
        Publish("status", new JsonObject { ["execution_state"] = state }, parent);

    public void Dispose()
    {
        lock (_sync)
        {
            socket.Dispose();
        }
    }
}
