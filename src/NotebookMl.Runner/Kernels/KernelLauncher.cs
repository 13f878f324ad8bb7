using System.Text.Json.Nodes;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// Starts a kernel as jupyter_client does: a connection file with fresh ports and key, the process,
/// the client sockets, then <c>wait_for_ready</c>: <c>kernel_info_request</c> every second until a
/// reply has come and IOPub has delivered a message (so no output of the first cell is lost to
/// ZeroMQ's slow joiner).
/// </summary>
internal static class KernelLauncher
{
    private const int Attempts = 3;
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    public static async Task<KernelClient> StartAsync(KernelSpec spec, string workingDirectory, TimeProvider timeProvider, TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(spec, workingDirectory, timeProvider, startupTimeout - timeProvider.GetElapsedTime(started), cancellationToken);
            }
            catch (KernelDiedException e) when (attempt < Attempts && PortTaken(e.KernelLog))
            {
                // Another process took a port between our picking it and the kernel binding it; pick again.
            }
        }
    }

    private static async Task<KernelClient> StartOnceAsync(KernelSpec spec, string workingDirectory, TimeProvider timeProvider, TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var runtimeFolder = Directory.CreateTempSubdirectory("notebookml-kernel-").FullName;
        var messages = new MessageFactory(timeProvider);
        KernelProcess? process = null;
        KernelChannels? channels = null;
        try
        {
            var (connection, connectionFile) = ConnectionFile.Write(runtimeFolder, messages.Session);
            process = KernelProcess.Start(spec, connectionFile, workingDirectory);
            channels = new KernelChannels(connection, new WireFormat(new MessageSigner(connection.Key)), messages.Session, process.Note);
            var info = await WaitUntilReadyAsync(spec, process, channels, messages, timeProvider, startupTimeout, cancellationToken);
            return new KernelClient(spec, process, channels, messages, timeProvider, runtimeFolder, info);
        }
        catch
        {
            process?.Kill();
            channels?.Dispose();
            process?.Dispose();
            Directory.Delete(runtimeFolder, recursive: true);
            throw;
        }
    }

    private static async Task<JsonObject> WaitUntilReadyAsync(KernelSpec spec, KernelProcess process, KernelChannels channels, MessageFactory messages, TimeProvider timeProvider, TimeSpan startupTimeout, CancellationToken cancellationToken)
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
                throw new TimeoutException($"the {spec.Name} kernel did not answer within {startupTimeout.TotalSeconds:0.#} s of starting; it was stopped.{LastLines(process)}");
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

    private static string LastLines(KernelProcess process)
    {
        var log = process.Log;
        return log.Length == 0 ? "" : $" Its last output:\n{string.Join('\n', log.Split('\n').TakeLast(20))}";
    }

    private static bool PortTaken(string kernelLog) =>
        kernelLog.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
        || kernelLog.Contains("AddressAlreadyInUse", StringComparison.Ordinal);
}
