using NotebookMl.Jupyter.Logging;
using System.Text.Json.Nodes;
using NotebookMl.Jupyter.Channels;
using NotebookMl.Jupyter.Wire;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Jupyter;

/// <summary>Answers every shell and control request, with busy/idle around each.</summary>
internal sealed class RequestHandlers(
    CSharpKernel kernel,
    IopubChannel iopub,
    ExecuteRequestHandler execute,
    HistoryStore history,
    MessageFactory messages,
    KernelLog log,
    Action<bool> shutdown)
{
    public async Task HandleAsync(JupyterMessage request, RequestChannel channel)
    {
        iopub.PublishStatus("busy", request);
        try
        {
            await DispatchAsync(request, channel);
        }
        finally
        {
            iopub.PublishStatus("idle", request);
        }
    }

    private async Task DispatchAsync(JupyterMessage request, RequestChannel channel)
    {
        var content = request.Content;
        switch (request.MessageType)
        {
            case "kernel_info_request":
                Reply(channel, request, "kernel_info_reply", KernelInfoContent());
                break;
            case "execute_request":
                if (!await execute.HandleAsync(request, channel) && (content["stop_on_error"]?.GetValue<bool>() ?? true))
                {
                    AbortQueuedCells(channel);
                }

                break;
            case "complete_request":
                await CompleteAsync(request, channel);
                break;
            case "inspect_request":
                await InspectAsync(request, channel);
                break;
            case "is_complete_request":
                var completeness = await SendAsync<CompletenessDetermined>(new RequestCompleteness(content["code"]?.GetValue<string>() ?? ""));
                var reply = new JsonObject { ["status"] = completeness.Status.ToString().ToLowerInvariant() };
                if (completeness.Status == Completeness.Incomplete)
                {
                    reply["indent"] = completeness.Indent;
                }

                Reply(channel, request, "is_complete_reply", reply);
                break;
            case "history_request":
                Reply(channel, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = history.Query(content) });
                break;
            case "comm_info_request":
                Reply(channel, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "comm_open":
                // No comm targets are registered: close it, as ipykernel does for unknown targets.
                iopub.Publish("comm_close", new JsonObject { ["comm_id"] = content["comm_id"]?.DeepClone(), ["data"] = new JsonObject() }, request);
                break;
            case "comm_msg" or "comm_close":
                break;
            case "interrupt_request":
                kernel.Interrupt();
                Reply(channel, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                var restart = content["restart"]?.GetValue<bool>() ?? false;
                Reply(channel, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                iopub.Publish("shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart }, request);
                shutdown(restart);
                break;
            default:
                log.Warn($"{channel.Name}: unknown message type '{request.MessageType}' ignored.");
                break;
        }
    }

    private void AbortQueuedCells(RequestChannel channel)
    {
        while (channel.TryTakePending() is { } queued)
        {
            if (queued.MessageType == "execute_request")
            {
                iopub.PublishStatus("busy", queued);
                execute.Abort(queued, channel);
                iopub.PublishStatus("idle", queued);
            }
            else
            {
                HandleAsync(queued, channel).GetAwaiter().GetResult();
            }
        }
    }

    private async Task CompleteAsync(JupyterMessage request, RequestChannel channel)
    {
        var code = request.Content["code"]?.GetValue<string>() ?? "";
        var position = CodePoints.ToUtf16(code, request.Content["cursor_pos"]?.GetValue<int>() ?? code.Length);
        var completions = await SendAsync<CompletionsProduced>(new RequestCompletions(code, position));
        var start = CodePoints.FromUtf16(code, completions.Start);
        var end = CodePoints.FromUtf16(code, completions.End);
        var types = new JsonArray();
        foreach (var item in completions.Items)
        {
            types.Add(new JsonObject { ["start"] = start, ["end"] = end, ["text"] = item.InsertText, ["type"] = item.Kind.ToLowerInvariant() });
        }

        Reply(channel, request, "complete_reply", new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(completions.Items.Select(i => (JsonNode)i.InsertText).ToArray()),
            ["cursor_start"] = start,
            ["cursor_end"] = end,
            ["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types },
        });
    }

    private async Task InspectAsync(JupyterMessage request, RequestChannel channel)
    {
        var code = request.Content["code"]?.GetValue<string>() ?? "";
        var position = CodePoints.ToUtf16(code, request.Content["cursor_pos"]?.GetValue<int>() ?? code.Length);
        var hover = await SendAsync<HoverTextProduced>(new RequestHoverText(code, position));
        Reply(channel, request, "inspect_reply", new JsonObject
        {
            ["status"] = "ok",
            ["found"] = hover.Values.Count > 0,
            ["data"] = MimeBundle.From(hover.Values),
            ["metadata"] = new JsonObject(),
        });
    }

    private async Task<T> SendAsync<T>(KernelCommand command) where T : KernelEvent
    {
        T? produced = null;
        var final = await kernel.SendAsync(command, e => produced ??= e as T);
        return produced ?? throw new InvalidOperationException(final is CommandFailed f ? f.Message : $"{command.GetType().Name} produced no answer.");
    }

    private void Reply(RequestChannel channel, JupyterMessage request, string type, JsonObject content) =>
        channel.Send(messages.Create(type, content, request));

    internal static JsonObject KernelInfoContent() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = MessageFactory.ProtocolVersion,
        ["implementation"] = "notebookml",
        ["implementation_version"] = KernelInfo.Version,
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#",
            ["version"] = KernelInfo.LanguageVersion,
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"NotebookMl {KernelInfo.Version}: C# notebooks for the whole ML lifecycle. #!lsmagic lists the magic commands.",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };
}
