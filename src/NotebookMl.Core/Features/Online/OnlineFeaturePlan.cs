using NotebookMl.Core.Features;

namespace NotebookMl.Core.Features.Online;

/// <summary>
/// How a model's inputs are looked up in the online store through its lineage: each input that is a feature of one of
/// the feature views the model was trained on, by the entity join keys of that view. Built once per model version; each
/// <see cref="Lookup"/> reads one entity. A key never materialized, or a value past its view's TTL, is null.
/// </summary>
public sealed class OnlineFeaturePlan
{
    private readonly FeatureStore _store;
    private readonly FeatureReference[] _references;

    private OnlineFeaturePlan(FeatureStore store, IReadOnlyList<OnlineInput> inputs, IReadOnlyList<string> joinKeys) =>
        (_store, Inputs, JoinKeys, _references) = (store, inputs, joinKeys, inputs.Select(i => i.Reference).ToArray());

    /// <summary>The inputs looked up, in the order <see cref="Lookup"/> returns them.</summary>
    public IReadOnlyList<OnlineInput> Inputs { get; }

    /// <summary>The join keys they are looked up by.</summary>
    public IReadOnlyList<string> JoinKeys { get; }

    /// <summary>
    /// The plan for those of <paramref name="inputs"/> that are features of <paramref name="views"/> (in order); inputs that are
    /// not are left out (see <see cref="Covers"/>).
    /// </summary>
    public static OnlineFeaturePlan For(FeatureStore store, IReadOnlyList<string> inputs, IReadOnlyCollection<string> views)
    {
        var infos = views.Select(v => store.GetView(v)).ToArray();
        var found = inputs.Select(input => (Input: input, View: infos.FirstOrDefault(i => i.View.Features.Any(f => f.Name == input))))
            .Where(f => f.View is not null)
            .Select(f => new OnlineInput(f.Input, new FeatureReference(f.View!.View.Name, f.Input), f.View.View.Features.First(x => x.Name == f.Input).Type, f.View.JoinKeys))
            .ToArray();
        return new OnlineFeaturePlan(store, found, found.SelectMany(f => f.JoinKeys).Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Whether <paramref name="input"/> is looked up online.</summary>
    public bool Covers(string input) => Inputs.Any(i => i.Input == input);

    /// <summary>The values of <see cref="Inputs"/> for the entity <paramref name="key"/> (join key to value); null where none is fresh.</summary>
    public object?[] Lookup(IReadOnlyDictionary<string, object?> key)
    {
        var found = _store.GetOnlineFeatures(_references, key);
        return Inputs.Select(i => found[i.Reference.ToString()]).ToArray();
    }

    /// <summary>As <see cref="Lookup"/>, without holding a thread while the online store answers.</summary>
    public async Task<object?[]> LookupAsync(IReadOnlyDictionary<string, object?> key) => (await ExplainAsync(key)).Select(v => v.Value).ToArray();

    /// <summary>As <see cref="LookupAsync"/>, with what the lookup found for each input (hit, expired, missing).</summary>
    public async Task<Online.OnlineValue[]> ExplainAsync(IReadOnlyDictionary<string, object?> key)
    {
        var found = await _store.ExplainOnlineFeaturesAsync(_references, key);
        return Inputs.Select(i => found[i.Reference.ToString()]).ToArray();
    }
}

/// <summary>A model input looked up online: the feature it is, its type, and the join keys of its view.</summary>
public sealed record OnlineInput(string Input, FeatureReference Reference, FeatureType Type, IReadOnlyList<string> JoinKeys);
