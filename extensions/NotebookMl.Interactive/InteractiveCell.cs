using System.Security.Cryptography;
using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace NotebookMl.Interactive;

/// <summary>
/// Which cell is running, as tracked runs record it. .NET Interactive hands its extensions the cell's
/// code but no cell id (its Jupyter front-end passes none; Polyglot Notebooks' cell URI does not reach
/// the kernel), so a cell is named by its first line and a hash of its code: the same cell gives the
/// same name on every run, a changed cell a new one.
/// </summary>
internal static class InteractiveCell
{
    public static string? Current() => Of(KernelInvocationContext.Current?.Command);

    /// <summary>The cell of <paramref name="command"/> (or of the submission it is part of).</summary>
    public static string? Of(KernelCommand? command)
    {
        while (command?.Parent is { } parent)
        {
            command = parent;
        }

        if (command is not SubmitCode { Code: { Length: > 0 } code })
        {
            return null;
        }

        var first = code.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)))[..8];
        return $"{(first.Length > 60 ? first[..59] + "…" : first)} #{hash}";
    }
}
