namespace NotebookMl.Core.Options;

/// <summary>
/// A setting a caller gave is unusable: <see cref="Option"/> names it as the API does (a property or
/// parameter name, e.g. <c>TestFraction</c>), <see cref="Reason"/> says what was expected. Core and
/// Training know no command-line flags; each host shows the option under its own name
/// (<c>--test-fraction</c> in the CLI and in magic commands).
/// </summary>
public sealed class InvalidOptionException(string option, string reason) : ArgumentException(reason, option)
{
    /// <summary>The option's name in the API: a property or parameter name.</summary>
    public string Option { get; } = option;

    /// <summary>What is wrong and what was expected, without the option's name.</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc/>
    public override string Message => $"{Option}: {Reason}";
}
