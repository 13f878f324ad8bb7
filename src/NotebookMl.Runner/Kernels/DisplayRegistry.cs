using System.Text.Json.Nodes;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// Which outputs, in any cell run by one client, carry each transient <c>display_id</c>, so an
/// <c>update_display_data</c> can replace them all (nbclient's <c>_display_id_map</c>).
/// </summary>
internal sealed class DisplayRegistry
{
    private readonly Dictionary<string, List<JsonObject>> _outputs = new(StringComparer.Ordinal);

    public void Register(string displayId, JsonObject output)
    {
        if (!_outputs.TryGetValue(displayId, out var outputs))
        {
            _outputs[displayId] = outputs = [];
        }

        outputs.Add(output);
    }

    /// <summary>Gives every output showing <paramref name="displayId"/> the new data and metadata; returns them.</summary>
    public IReadOnlyList<JsonObject> Update(string displayId, JsonObject data, JsonObject metadata)
    {
        if (!_outputs.TryGetValue(displayId, out var outputs))
        {
            return [];
        }

        foreach (var output in outputs)
        {
            output["data"] = data.DeepClone();
            output["metadata"] = metadata.DeepClone();
        }

        return outputs;
    }

    /// <summary>Forgets cleared outputs.</summary>
    public void Forget(IEnumerable<JsonObject> cleared)
    {
        var gone = cleared.ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var outputs in _outputs.Values)
        {
            outputs.RemoveAll(gone.Contains);
        }
    }
}
