using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace NotebookMl.Core.Features;

/// <summary>
/// The feature views a training set read, each with the version of its definition (as a dictionary of view to version), and
/// the columns each gave it. A model trained on some of the columns is lineage of only the views whose columns it uses
/// (<see cref="UsedBy"/>): a model trained without the aggregates does not claim the view that computed them.
/// </summary>
public sealed class FeatureLineage : IReadOnlyDictionary<string, int>
{
    private readonly IReadOnlyDictionary<string, int> _versions;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _columns;

    /// <summary>Views with their versions, and the columns each gave the training set.</summary>
    public FeatureLineage(IReadOnlyDictionary<string, int> versions, IReadOnlyDictionary<string, IReadOnlyList<string>> columns) =>
        (_versions, _columns) = (versions, columns);

    /// <summary>The columns <paramref name="view"/> gave the training set.</summary>
    public IReadOnlyList<string> ColumnsOf(string view) => _columns.TryGetValue(view, out var columns) ? columns : [];

    /// <summary>
    /// The views of <paramref name="views"/> a model with the inputs <paramref name="inputs"/> uses: with a
    /// <see cref="FeatureLineage"/>, those that gave at least one of the inputs; any other dictionary is taken as given.
    /// </summary>
    public static IReadOnlyDictionary<string, int>? UsedBy(IReadOnlyDictionary<string, int>? views, IReadOnlyCollection<string> inputs) =>
        views is FeatureLineage lineage
            ? lineage.Where(v => lineage.ColumnsOf(v.Key).Any(inputs.Contains)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)
            : views;

    /// <inheritdoc/>
    public int this[string key] => _versions[key];

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _versions.Keys;

    /// <inheritdoc/>
    public IEnumerable<int> Values => _versions.Values;

    /// <inheritdoc/>
    public int Count => _versions.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _versions.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out int value) => _versions.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _versions.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
