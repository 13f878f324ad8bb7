namespace NotebookMl.Runner.Parameters;

/// <summary>A parameter, parameters file or parameters cell that cannot be used; the runner reports it as bad input.</summary>
public sealed class ParameterException(string message) : FormatException(message);
