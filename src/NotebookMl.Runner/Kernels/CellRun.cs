using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// One <c>execute_request</c> in flight: the messages that belong to it, whether it is finished
/// (reply received and the kernel idle again), and its timeout, measured with the injected clock.
/// </summary>
internal sealed class CellRun(string requestId, OutputCollector outputs, TimeProvider timeProvider, TimeSpan? timeout)
{
    /// <summary>How long an interrupted cell gets to answer before it is given up on.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(5);

    // nbclient's iopub_timeout: IOPub messages lost after the reply must not hang the run.
    private static readonly TimeSpan s_idleGrace = TimeSpan.FromSeconds(4);

    private readonly long _started = timeProvider.GetTimestamp();
    private JsonObject? _reply;
    private long _repliedAt;
    private bool _idle;
    private long? _interruptedAt;

    public bool IsFinished => _reply is not null && (_idle || timeProvider.GetElapsedTime(_repliedAt) >= s_idleGrace);

    /// <summary>True once the cell has run longer than its timeout.</summary>
    public bool IsPastTimeout => timeout is { } limit && timeProvider.GetElapsedTime(_started) >= limit;

    public bool WasInterrupted => _interruptedAt is not null;

    /// <summary>True when the interrupted cell has had its grace period to answer.</summary>
    public bool GivenUp => _interruptedAt is { } at && timeProvider.GetElapsedTime(at) >= InterruptGrace;

    public void Interrupted() => _interruptedAt = timeProvider.GetTimestamp();

    public void Handle(ReceivedMessage received)
    {
        if (received.ParentId != requestId)
        {
            return;
        }

        switch (received.Channel)
        {
            case KernelChannel.Shell when received.Message.MessageType == "execute_reply":
                _reply ??= received.Message.Content;
                _repliedAt = timeProvider.GetTimestamp();
                break;
            case KernelChannel.Iopub when received.Message.MessageType == "status":
                _idle |= JsonFields.String(received.Message.Content, "execution_state") == "idle";
                break;
            case KernelChannel.Iopub:
                outputs.Handle(received.Message.MessageType, received.Message.Content);
                break;
        }
    }

    public CellExecution Result()
    {
        var reply = _reply!;
        var status = JsonFields.String(reply, "status") ?? "error";
        var count = JsonFields.Int(reply, "execution_count");
        if (status != "error")
        {
            return new CellExecution(status, count, outputs.Outputs, null, null, []);
        }

        // The reply names the error; the error output is the fallback for kernels that leave it out.
        var error = outputs.FirstError;
        return new CellExecution(
            status,
            count,
            outputs.Outputs,
            Text(reply, "ename") ?? Text(error, "ename") ?? "Error",
            Text(reply, "evalue") ?? Text(error, "evalue") ?? "",
            Lines(reply["traceback"] as JsonArray ?? error?["traceback"] as JsonArray));
    }

    public CellTimeoutException TimedOut()
    {
        var elapsed = timeProvider.GetElapsedTime(_started);
        var responded = _reply is not null;
        var message = $"the cell did not finish within {timeout?.TotalSeconds:0.###} s and was interrupted"
            + (responded ? "" : $"; the kernel did not answer the interrupt within {InterruptGrace.TotalSeconds:0} s");
        return new CellTimeoutException(message, elapsed, responded, outputs.Outputs);
    }

    /// <summary>The exception for a cell interrupted because the run was cancelled, with what it showed so far.</summary>
    public CellCancelledException Cancelled(CancellationToken cancellationToken) => new(outputs.Outputs, cancellationToken);

    private static string? Text(JsonObject? node, string property) => JsonFields.String(node, property);

    private static string[] Lines(JsonArray? lines) =>
        lines?.Select(l => l is JsonValue v && v.TryGetValue<string>(out var s) ? s : l?.ToJsonString() ?? "").ToArray() ?? [];
}
