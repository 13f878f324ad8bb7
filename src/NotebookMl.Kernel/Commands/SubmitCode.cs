namespace NotebookMl.Kernel.Commands;

/// <summary>Runs a cell: C#, magic commands (<c>#!name</c>) and directives (<c>#r</c>).</summary>
/// <param name="Code">The cell's text.</param>
/// <param name="InputProvider">
/// Answers <c>Console.ReadLine()</c> in the cell (the Jupyter stdin channel); null when the client
/// does not accept input, in which case reading input fails with a clear error.
/// </param>
/// <param name="Cell">Which cell this is, as the front-end knows it (e.g. <c>[3]</c>, or a cell id); experiment tracking records it.</param>
public sealed record SubmitCode(string Code, InputProvider? InputProvider = null, string? Cell = null) : KernelCommand;
