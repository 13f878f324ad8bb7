namespace NotebookMl.Notebooks.Json;

/// <summary>
/// Orders strings by Unicode code point, as Python sorts <c>str</c> keys. Ordinal UTF-16 order
/// differs for characters above U+FFFF, whose surrogates sort below U+E000–U+FFFF.
/// </summary>
internal sealed class CodePointComparer : IComparer<string>
{
    public static CodePointComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return Fix(x[i]).CompareTo(Fix(y[i]));
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    private static int Fix(char c) => c switch
    {
        >= '\uE000' => c - 0x800,
        >= '\uD800' => c + 0x2000,
        _ => c,
    };
}
