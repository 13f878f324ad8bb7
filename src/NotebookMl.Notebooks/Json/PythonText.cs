namespace NotebookMl.Notebooks.Json;

/// <summary>Python's <c>str.splitlines(keepends=True)</c>, which nbformat uses to split multi-line text.</summary>
internal static class PythonText
{
    public static List<string> SplitLinesKeepEnds(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }
            else if (!IsLineBoundary(c))
            {
                continue;
            }

            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    private static bool IsLineBoundary(char c) => c is '\n' or '\r' or '\v' or '\f'
        or '\u001c' or '\u001d' or '\u001e' or '\u0085' or '\u2028' or '\u2029';
}
