namespace NotebookMl.Notebooks;

/// <summary>
/// A notebook file that cannot be read or written as asked. <see cref="Exception.Message"/> is one
/// line a user can act on: the file, then what was found and what was expected, e.g.
/// <c>x.ipynb: nbformat 3 is not supported; expected nbformat 4</c>.
/// </summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> (a path or a display name).</summary>
    /// <param name="sourceName">The file the problem is in.</param>
    /// <param name="problem">What is wrong and what was expected, without the file name.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public NotebookFormatException(string sourceName, string problem, Exception? innerException = null)
        : base($"{sourceName}: {OneLine(problem)}", innerException)
    {
        SourceName = sourceName;
        Problem = OneLine(problem);
    }

    /// <summary>The file (or display name) the problem is in.</summary>
    public string SourceName { get; }

    /// <summary>The problem, without the file name.</summary>
    public string Problem { get; }

    /// <summary>The same problem attributed to another file, e.g. once the path being written is known.</summary>
    public NotebookFormatException For(string sourceName) => new(sourceName, Problem, InnerException);

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
