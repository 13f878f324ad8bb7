namespace NotebookMl.Kernel.Events;

/// <summary>Which console stream a piece of text came from.</summary>
public enum StandardStream
{
    /// <summary><c>Console.Out</c>.</summary>
    Output,

    /// <summary><c>Console.Error</c>.</summary>
    Error,
}
