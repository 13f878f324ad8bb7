using System.Security.Cryptography;
using System.Text;

namespace NotebookMl.Notebooks;

/// <summary>
/// nbformat 4.5 cell ids, derived rather than random so that converting the same notebook twice
/// gives the same file: the first 8 hex digits of SHA-256 over kind and text, with <c>-2</c>,
/// <c>-3</c>, … appended where two cells would otherwise share one.
/// </summary>
internal static class CellIds
{
    public static string Derive(CellKind kind, string source)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{source}"));
        return Convert.ToHexStringLower(hash, 0, 4);
    }

    /// <summary>
    /// One id per cell: a cell keeps its id unless it has none or an earlier cell holds it; those get
    /// a derived id not used elsewhere in the notebook.
    /// </summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<NotebookCell> cells)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var keeps = cells.Select(c => c.Id is not null && taken.Add(c.Id)).ToArray();
        var ids = new string[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            if (keeps[i])
            {
                ids[i] = cells[i].Id!;
                continue;
            }

            var stem = Derive(cells[i].Kind, cells[i].Source);
            var candidate = stem;
            for (var n = 2; !taken.Add(candidate); n++)
            {
                candidate = $"{stem}-{n}";
            }

            ids[i] = candidate;
        }

        return ids;
    }
}
