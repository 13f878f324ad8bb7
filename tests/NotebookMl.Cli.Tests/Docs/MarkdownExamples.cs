using System.Text;
using System.Text.RegularExpressions;

namespace NotebookMl.Cli.Tests.Docs;

/// <summary>
/// The examples of a Markdown page, as the docs promise to run them (docs/README.md, "About the examples"): its
/// <c>sh</c> blocks in order as one bash script, a <c>yaml</c> block whose first line is <c># file: PATH</c> written to
/// that path where it stands, and a <c>csharp</c> block run where it stands as a one-cell notebook by <c>notebookml run</c>.
/// <c>sql</c> blocks run with <c>psql</c> against the PostgreSQL store <c>NOTEBOOKML_STORE</c> names (docs/store.md).
/// <c>text</c> blocks are shown output. Any other fence is refused, so nothing on a page escapes being run or being said to be output.
/// </summary>
internal static partial class MarkdownExamples
{
    /// <summary>The fenced blocks of <paramref name="markdown"/>: tag, first line number and content.</summary>
    public static IReadOnlyList<(string Tag, int Line, string Content)> Blocks(string markdown)
    {
        var blocks = new List<(string, int, string)>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Fence().Match(lines[i]) is { Success: true } open)
            {
                var start = i;
                var body = new StringBuilder();
                while (++i < lines.Length && lines[i].TrimEnd() != "```")
                {
                    body.Append(lines[i]).Append('\n');
                }

                blocks.Add((open.Groups[1].Value, start + 1, body.ToString()));
            }
        }

        return blocks;
    }

    /// <summary>The page's examples as one bash script; <paramref name="page"/> names it in errors.</summary>
    public static string Script(string page, string markdown)
    {
        var script = new StringBuilder()
            .Append("set -euo pipefail\n")
            // Servers an example starts in the background stop with the page.
            .Append("trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT\n")
            .Append("unset NOTEBOOKML_HOME\n")
            .Append("mkdir -p .docs-cells\n");
        var cell = 0;
        foreach (var (tag, line, content) in Blocks(markdown))
        {
            script.Append(System.Globalization.CultureInfo.InvariantCulture, $"echo '--- {page}:{line} ({tag})' >&2\n");
            switch (tag)
            {
                case "sh":
                    script.Append(content);
                    break;
                case "yaml" when content.StartsWith("# file: ", StringComparison.Ordinal):
                    var path = content[..content.IndexOf('\n', StringComparison.Ordinal)]["# file: ".Length..].Trim();
                    script.Append(System.Globalization.CultureInfo.InvariantCulture, $"mkdir -p \"$(dirname '{path}')\"\ncat > '{path}' <<'NOTEBOOKML_DOCS_EOF'\n{content}NOTEBOOKML_DOCS_EOF\n");
                    break;
                case "csharp":
                    cell++;
                    var notebook = $".docs-cells/cell-{cell}.dib";
                    script.Append(System.Globalization.CultureInfo.InvariantCulture, $"cat > '{notebook}' <<'NOTEBOOKML_DOCS_EOF'\n#!csharp\n\n{content}NOTEBOOKML_DOCS_EOF\nnotebookml run '{notebook}' --cwd \"$PWD\"\n");
                    break;
                case "sql":
                    script.Append(System.Globalization.CultureInfo.InvariantCulture, $"psql \"$NOTEBOOKML_STORE\" -v ON_ERROR_STOP=1 -q <<'NOTEBOOKML_DOCS_EOF'\n{content}NOTEBOOKML_DOCS_EOF\n");
                    break;
                case "text":
                    break;
                default:
                    throw new InvalidDataException($"{page}:{line}: a ```{tag} block; examples are ```sh (run), ```yaml starting '# file: PATH' (written), ```csharp (run as a cell), ```sql (run by psql against NOTEBOOKML_STORE) or ```text (shown only).");
            }
        }

        return script.ToString();
    }

    [GeneratedRegex(@"^```(\S*)\s*$")]
    private static partial Regex Fence();
}
