namespace NotebookMl.Core.Features;

/// <summary>One feature of a view: a column of its rows.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Its type.</param>
public sealed record Feature(string Name, FeatureType Type);
