namespace NotebookMl.Serving.Models;

/// <summary>
/// What a model answers when it cannot: the version that served before the current one (kept loaded for this), a DuckDB
/// SQL rule over the request's inputs, and/or a constant per output. Tried in that order; a constant also fills the rows a
/// SQL rule left null. Written per model in <c>notebookml.yaml</c>
/// (<c>serving: models: NAME: fallback: {previous_version: true, sql: "SELECT …", constant: {probability: 0.2, label: 0}}</c>).
/// </summary>
/// <param name="PreviousVersion">Answer with the version the alias pointed at before.</param>
/// <param name="Constants">A constant per output name, repeated for every row.</param>
/// <param name="Sql">A SQL rule over the request (<see cref="SqlFallback"/>), or null.</param>
public sealed record FallbackRule(bool PreviousVersion, IReadOnlyDictionary<string, double> Constants, SqlFallback? Sql = null);
