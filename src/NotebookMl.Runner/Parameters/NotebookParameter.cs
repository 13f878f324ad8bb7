namespace NotebookMl.Runner.Parameters;

/// <summary>A parameter declared in a notebook's <c>parameters</c> cell: its name, type and default as written.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="Type">The declared type (<c>int</c>, <c>double</c>, <c>string</c>, <c>DateTime</c>, <c>int[]</c>…), or the type inferred from the default.</param>
/// <param name="Default">The default value as written in the cell.</param>
public sealed record NotebookParameter(string Name, ParameterType Type, string Default);
