using NotebookMl.Core.Features;
using NotebookMl.Core.Features.Online;
using NotebookMl.Core.Registry;

namespace NotebookMl.Core.Registry.Traffic;

/// <summary>
/// Whether another version (a canary or a shadow) can answer the requests sent to the served one. Each version gets the
/// request as the caller sent it, projected onto its own inputs, plus the online features of its own lineage. So a request
/// to the served version supplies the inputs callers must send it (its inputs but its online features) and the join keys
/// it looks those up by; the other version needs every input of its own that is not one of its own online features, of the
/// same datatype, and the join keys of its own online features.
/// </summary>
public static class TrafficInputs
{
    /// <summary>
    /// The inputs of <paramref name="candidate"/> that requests to <paramref name="served"/> cannot supply (NAME (DATATYPE)),
    /// empty when it can answer them. <paramref name="features"/> opens the feature store, when either version has feature views.
    /// </summary>
    public static IReadOnlyList<string> Unsupplied(ModelVersion served, ModelVersion candidate, Func<FeatureStore> features)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(candidate);
        var store = served.FeatureViews.Count > 0 || candidate.FeatureViews.Count > 0 ? features() : null;
        var (servedOnline, servedKeys) = Online(store, served);
        var (candidateOnline, candidateKeys) = Online(store, candidate);
        var supplied = served.Signature.Inputs.Where(i => !servedOnline.Contains(i.Name)).ToDictionary(i => i.Name, i => (string?)i.DataType, StringComparer.Ordinal);
        foreach (var key in servedKeys)
        {
            // A join key that is not a model input is taken as a caller sends it.
            supplied.TryAdd(key, null);
        }

        var inputs = candidate.Signature.Inputs
            .Where(i => !candidateOnline.Contains(i.Name) && !(supplied.TryGetValue(i.Name, out var type) && (type is null || type == i.DataType)))
            .Select(i => $"{i.Name} ({i.DataType})");
        var keys = candidateKeys.Where(k => !supplied.ContainsKey(k) && candidate.Signature.Inputs.All(i => i.Name != k)).Select(k => $"{k} (join key)");
        return inputs.Concat(keys).ToArray();
    }

    /// <summary>Refuses <paramref name="candidate"/> as a canary or shadow of <paramref name="served"/> when requests to it cannot supply its inputs.</summary>
    public static void Check(ModelVersion served, ModelVersion candidate, string route, Func<FeatureStore> features)
    {
        if (Unsupplied(served, candidate, features) is { Count: > 0 } missing)
        {
            throw new ArgumentException(
                $"{candidate.Uri} cannot be the {route} of {served.Uri}: requests to {served.Uri} do not supply its input{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}.");
        }
    }

    private static (HashSet<string> Online, IReadOnlyList<string> Keys) Online(FeatureStore? store, ModelVersion version)
    {
        if (store is null || version.FeatureViews.Count == 0)
        {
            return ([], []);
        }

        try
        {
            var plan = OnlineFeaturePlan.For(store, version.Signature.Inputs.Select(i => i.Name).ToArray(), version.FeatureViews.Keys.ToArray());
            return (plan.Inputs.Select(i => i.Input).ToHashSet(StringComparer.Ordinal), plan.JoinKeys);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException)
        {
            // A feature view dropped since training: the endpoint then looks nothing up for it, and requests must send every input.
            return ([], []);
        }
    }
}
