using NotebookMl.Jupyter.Logging;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Jupyter.Channels;

/// <summary>Asks the front-end that sent an execute request for a line of input (<c>input_request</c>).</summary>
internal sealed class StdinChannel(RouterSocket socket, WireFormat wire, MessageFactory messages, KernelLog log) : IDisposable
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private readonly object _sync = new();

    public string RequestInput(JupyterMessage executeRequest, string prompt, bool password, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var request = messages.Create("input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, executeRequest);
            socket.SendMultipartBytes(wire.Encode(request));
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var frames = new List<byte[]>();
                if (!socket.TryReceiveMultipartBytes(s_poll, ref frames))
                {
                    continue;
                }

                if (!wire.TryDecode(frames, out var reply, out var problem))
                {
                    log.Warn($"stdin: ignored a message: {problem}");
                    continue;
                }

                if (reply.MessageType == "input_reply")
                {
                    return reply.Content["value"]?.GetValue<string>() ?? "";
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            socket.Dispose();
        }
    }
}
