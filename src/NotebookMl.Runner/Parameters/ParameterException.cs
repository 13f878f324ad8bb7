namespace NotebookMl.Runner.Parameters;

/// <summary>
/// A parameter, parameters file or parameters cell that cannot be used; the runner reports it as bad input. <see cref="Remedy"/>
/// names the <see cref="RunOptions"/> property that would allow it, if one would.
/// </summary>
public sealed class ParameterException(string message, string? remedy = null) : FormatException(message)
{
    /// <summary>The setting that would allow it (<c>AllowExtraParameters</c>), or null.</summary>
    public string? Remedy { get; } = remedy;
}
