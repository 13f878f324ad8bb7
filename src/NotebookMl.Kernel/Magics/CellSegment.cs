namespace NotebookMl.Kernel.Magics;

/// <summary>A piece of a cell: either a magic command line or a run of C# lines.</summary>
public abstract record CellSegment;

/// <summary>A magic command line.</summary>
public sealed record MagicSegment(MagicLine Magic) : CellSegment;

/// <summary>
/// C# code; <paramref name="Code"/> keeps the cell's line numbering (earlier lines are blank), so
/// diagnostics point at the line the user sees.
/// </summary>
public sealed record CodeSegment(string Code) : CellSegment;

/// <summary>Lines after <c>#!html</c> or <c>#!markdown</c>: shown as they are, with <paramref name="MimeType"/>.</summary>
public sealed record ContentSegment(string MimeType, string Content) : CellSegment;
