namespace NotebookMl.Serving.Models;

/// <summary>
/// What a model answers when it cannot: the version that served before the current one (kept loaded for this), and/or a
/// constant per output. Tried in that order. Written per model in <c>notebookml.yaml</c>
/// (<c>serving: models: NAME: fallback: {previous_version: true, constant: {probability: 0.2, label: 0}}</c>).
/// </summary>
/// <param name="PreviousVersion">Answer with the version the alias pointed at before.</param>
/// <param name="Constants">A constant per output name, repeated for every row.</param>
public sealed record FallbackRule(bool PreviousVersion, IReadOnlyDictionary<string, double> Constants);
