namespace NotebookMl.Kernel.Events;

/// <summary>
/// The command failed. Failures travel as this event, never as an exception to the caller.
/// Always the last event of a command.
/// </summary>
/// <param name="ErrorName">The exception type (e.g. <c>System.InvalidOperationException</c>), <c>CompilationError</c>, <c>MagicCommandError</c> or <c>KernelInterrupted</c>.</param>
/// <param name="Message">One line a user can act on.</param>
/// <param name="Traceback">Lines describing where it happened (diagnostics or stack frames).</param>
public sealed record CommandFailed(string ErrorName, string Message, IReadOnlyList<string> Traceback) : KernelEvent;
