using System.Text.Json.Nodes;
using NotebookMl.Jupyter.Channels;
using NotebookMl.Jupyter.Wire;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Jupyter;

/// <summary>Runs <c>execute_request</c>s on the kernel and translates its events into IOPub messages.</summary>
internal sealed class ExecuteRequestHandler(CSharpKernel kernel, IopubChannel iopub, StdinChannel stdin, HistoryStore history, MessageFactory messages)
{
    private int _executionCount;

    public int ExecutionCount => _executionCount;

    /// <summary>Runs the cell; returns false when it failed.</summary>
    public async Task<bool> HandleAsync(JupyterMessage request, RequestChannel shell)
    {
        var code = request.Content["code"]?.GetValue<string>() ?? "";
        var silent = request.Content["silent"]?.GetValue<bool>() ?? false;
        var storeHistory = !silent && (request.Content["store_history"]?.GetValue<bool>() ?? true);
        var allowStdin = request.Content["allow_stdin"]?.GetValue<bool>() ?? false;
        if (storeHistory)
        {
            _executionCount++;
        }

        var count = _executionCount;
        if (!silent)
        {
            iopub.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
        }

        string? resultText = null;
        InputProvider? input = allowStdin
            ? (prompt, password, token) => Task.FromResult(stdin.RequestInput(request, prompt, password, token))
            : null;
        // VS Code sends the cell's id in the request metadata; other front-ends only give the count.
        var cellId = request.Metadata["cellId"]?.GetValue<string>();
        var cell = cellId is null ? $"[{count}]" : $"[{count}] {cellId}";
        var final = await kernel.SendAsync(new SubmitCode(code, input, cell), e =>
        {
            if (e is ReturnValueProduced result)
            {
                resultText = result.Values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value;
            }

            Publish(e, request, count, silent);
        });

        if (storeHistory)
        {
            history.Add(count, code, resultText);
        }

        var reply = final is CommandFailed failure
            ? new JsonObject
            {
                ["status"] = "error",
                ["execution_count"] = count,
                ["ename"] = failure.ErrorName,
                ["evalue"] = failure.Message,
                ["traceback"] = Traceback(failure),
            }
            : new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["user_expressions"] = new JsonObject(),
                ["payload"] = new JsonArray(),
            };
        shell.Send(messages.Create("execute_reply", reply, request, metadata: new JsonObject { ["status"] = reply["status"]!.GetValue<string>() }));
        return final is not CommandFailed;
    }

    /// <summary>
    /// Answers a queued execute request that follows a failed cell (stop_on_error), as ipykernel does:
    /// no execution count (the cell did not run, so front-ends leave its prompt empty).
    /// </summary>
    public void Abort(JupyterMessage request, RequestChannel shell) =>
        shell.Send(messages.Create("execute_reply", new JsonObject { ["status"] = "aborted" }, request, metadata: new JsonObject { ["status"] = "aborted" }));

    private void Publish(KernelEvent kernelEvent, JupyterMessage request, int count, bool silent)
    {
        switch (kernelEvent)
        {
            case StandardStreamTextProduced stream:
                iopub.Publish("stream", new JsonObject { ["name"] = stream.Stream == StandardStream.Output ? "stdout" : "stderr", ["text"] = stream.Text }, request);
                break;
            case DisplayedValueProduced display:
                iopub.Publish("display_data", DisplayContent(display.Values, display.DisplayId), request);
                break;
            case DisplayedValueUpdated update:
                iopub.Publish("update_display_data", DisplayContent(update.Values, update.DisplayId), request);
                break;
            case ReturnValueProduced result when !silent:
                iopub.Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = MimeBundle.From(result.Values), ["metadata"] = new JsonObject() }, request);
                break;
            case CommandFailed failure:
                iopub.Publish("error", new JsonObject { ["ename"] = failure.ErrorName, ["evalue"] = failure.Message, ["traceback"] = Traceback(failure) }, request);
                break;
        }
    }

    private static JsonObject DisplayContent(IReadOnlyList<FormattedValue> values, string displayId) => new()
    {
        ["data"] = MimeBundle.From(values),
        ["metadata"] = new JsonObject(),
        ["transient"] = new JsonObject { ["display_id"] = displayId },
    };

    private static JsonArray Traceback(CommandFailed failure)
    {
        var lines = new JsonArray();
        if (failure.Traceback.Count == 0 || !failure.Traceback[0].Contains(failure.Message, StringComparison.Ordinal))
        {
            lines.Add($"{failure.ErrorName}: {failure.Message}");
        }

        foreach (var line in failure.Traceback)
        {
            lines.Add(line);
        }

        return lines;
    }
}
