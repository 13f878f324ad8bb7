namespace NotebookMl.Kernel.Commands;

/// <summary>Runs a cell: C#, magic commands (<c>#!name</c>) and directives (<c>#r</c>).</summary>
/// <param name="Code">The cell's text.</param>
/// <param name="InputProvider">
/// Answers <c>Console.ReadLine()</c> in the cell (the Jupyter stdin channel); null when the client
/// does not accept input, in which case reading input fails with a clear error.
/// </param>
public sealed record SubmitCode(string Code, InputProvider? InputProvider = null) : KernelCommand;
