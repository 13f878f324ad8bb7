namespace NotebookMl.Kernel.Magics;

/// <summary>A <c>#!name arguments</c> line of a cell; <paramref name="Line"/> is 0-based.</summary>
public sealed record MagicLine(string Name, string Arguments, int Line);
