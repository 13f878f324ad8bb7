namespace NotebookMl.Extensions.Ml.Models;

/// <summary><c>--token-file FILE</c>: an endpoint's bearer token, kept in a file so that it is in no command line or shell history.</summary>
internal static class TokenFile
{
    /// <summary>The token in <paramref name="path"/> (trimmed), or null when no file is given; a missing file is bad input.</summary>
    public static async Task<string?> ReadAsync(string? path, CancellationToken cancellationToken) =>
        path is null ? null
        : File.Exists(path) ? (await File.ReadAllTextAsync(path, cancellationToken)).Trim()
        : throw new FileNotFoundException($"--token-file: {Path.GetFullPath(path)} does not exist.");
}
