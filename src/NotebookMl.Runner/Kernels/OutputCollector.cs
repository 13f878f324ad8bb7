using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// Turns one cell's IOPub messages into nbformat v4 outputs as nbclient does
/// (<c>nbformat.v4.output_from_msg</c>, display-id updates, deferred <c>clear_output</c>), merging
/// consecutive text of one stream into one output as Jupyter front-ends show it.
/// </summary>
internal sealed class OutputCollector(DisplayRegistry displays, Action<JsonObject>? onOutput)
{
    private readonly List<JsonObject> _outputs = [];
    private bool _clearBeforeNextOutput;

    /// <summary>
    /// The outputs so far. A display shown here is updated in place when a later cell of the same
    /// client sends <c>update_display_data</c> for its display id, as nbclient updates its notebook.
    /// </summary>
    public IReadOnlyList<JsonObject> Outputs => _outputs.ToArray();

    /// <summary>The first <c>error</c> output, if any.</summary>
    public JsonObject? FirstError => _outputs.FirstOrDefault(o => Text(o, "output_type") == "error");

    /// <summary>Applies one IOPub message of the cell.</summary>
    public void Handle(string messageType, JsonObject content)
    {
        var displayId = JsonFields.String(content["transient"], "display_id");
        if (displayId is not null && messageType is "display_data" or "execute_result" or "update_display_data")
        {
            foreach (var updated in displays.Update(displayId, Bundle(content, "data"), Bundle(content, "metadata")))
            {
                if (_outputs.Contains(updated))
                {
                    Notify(updated);
                }
            }
        }

        switch (messageType)
        {
            case "stream":
                AddStream(Text(content, "name") ?? "stdout", Text(content, "text") ?? "");
                break;
            case "display_data":
                Add(new JsonObject { ["output_type"] = "display_data", ["data"] = Bundle(content, "data"), ["metadata"] = Bundle(content, "metadata") }, displayId);
                break;
            case "execute_result":
                Add(
                    new JsonObject
                    {
                        ["output_type"] = "execute_result",
                        ["data"] = Bundle(content, "data"),
                        ["metadata"] = Bundle(content, "metadata"),
                        ["execution_count"] = content["execution_count"]?.DeepClone(),
                    },
                    displayId);
                break;
            case "error":
                Add(
                    new JsonObject
                    {
                        ["output_type"] = "error",
                        ["ename"] = Text(content, "ename") ?? "",
                        ["evalue"] = Text(content, "evalue") ?? "",
                        ["traceback"] = content["traceback"] is JsonArray traceback ? traceback.DeepClone() : new JsonArray(),
                    },
                    null);
                break;
            case "clear_output":
                if (JsonFields.Bool(content, "wait") ?? false)
                {
                    _clearBeforeNextOutput = true;
                }
                else
                {
                    Clear();
                }

                break;
        }
    }

    private void AddStream(string name, string text)
    {
        ClearIfDeferred();
        if (_outputs.Count > 0 && _outputs[^1] is var last && Text(last, "output_type") == "stream" && Text(last, "name") == name)
        {
            last["text"] = Text(last, "text") + text;
        }
        else
        {
            _outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
        }

        // Live, only the new text is reported, so a log of outputs does not repeat what it printed.
        onOutput?.Invoke(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text });
    }

    private void Add(JsonObject output, string? displayId)
    {
        ClearIfDeferred();
        _outputs.Add(output);
        if (displayId is not null)
        {
            displays.Register(displayId, output);
        }

        Notify(output);
    }

    private void ClearIfDeferred()
    {
        if (_clearBeforeNextOutput)
        {
            _clearBeforeNextOutput = false;
            Clear();
        }
    }

    private void Clear()
    {
        displays.Forget(_outputs);
        _outputs.Clear();
    }

    private void Notify(JsonObject output) => onOutput?.Invoke(output.DeepClone().AsObject());

    private static JsonObject Bundle(JsonObject content, string property) =>
        content[property] is JsonObject bundle ? bundle.DeepClone().AsObject() : [];

    private static string? Text(JsonObject node, string property) => JsonFields.String(node, property);
}
