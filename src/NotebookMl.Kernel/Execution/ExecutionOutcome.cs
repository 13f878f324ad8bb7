using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Execution;

/// <summary>How a piece of C# ended: a failure, or success with or without a trailing value.</summary>
internal sealed record ExecutionOutcome(CommandFailed? Failure, bool HasValue, object? Value)
{
    /// <summary>True when the code was interrupted, did not stop, and may still be running.</summary>
    public bool Abandoned { get; init; }

    public static ExecutionOutcome Succeeded(bool hasValue, object? value) => new(null, hasValue, value);

    public static ExecutionOutcome Failed(string errorName, string message, IReadOnlyList<string> traceback) =>
        new(new CommandFailed(errorName, message, traceback), false, null);
}
