using System.Text.Json.Nodes;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// Waits for a starting kernel as jupyter_client's <c>wait_for_ready</c> does: sends
/// <c>kernel_info_request</c> every second until a reply has come and IOPub has delivered a
/// message (so no output of the first cell is lost to ZeroMQ's slow joiner).
/// </summary>
internal sealed class KernelHandshake(KernelSpec spec, KernelProcess process, KernelChannels channels, MessageFactory messages, TimeProvider timeProvider)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    public async Task<JsonObject> WaitUntilReadyAsync(TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var requests = new HashSet<string>(StringComparer.Ordinal);
        var nextRequest = TimeSpan.Zero;
        JsonObject? info = null;
        var iopubDelivers = false;
        while (true)
        {
            var elapsed = timeProvider.GetElapsedTime(started);
            while (channels.Inbox.TryRead(out var received))
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

            if (process.HasExited)
            {
                throw await process.DiedAsync(spec.Name, "while starting");
            }

            if (elapsed >= startupTimeout)
            {
                throw new TimeoutException($"the {spec.Name} kernel did not answer within {startupTimeout.TotalSeconds:0.#} s of starting; it was stopped.{LastLines()}");
            }

            if (elapsed >= nextRequest)
            {
                var request = messages.Create("kernel_info_request", [], null, []);
                requests.Add(request.MessageId);
                channels.Send(KernelChannel.Shell, request);
                nextRequest = elapsed + TimeSpan.FromSeconds(1);
            }

            await channels.WaitForMessageAsync(s_poll, cancellationToken);
        }
    }

    private string LastLines()
    {
        var log = process.Log;
        return log.Length == 0 ? "" : $" Its last output:\n{string.Join('\n', log.Split('\n').TakeLast(20))}";
    }
}
