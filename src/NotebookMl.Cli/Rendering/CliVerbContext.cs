using Microsoft.DotNet.Interactive.Formatting;
using ResultTable = NotebookMl.Verbs.Formatting.Table;
using NotebookMl.Verbs;
using Spectre.Console;

namespace NotebookMl.Cli.Rendering;

/// <summary>A verb running in a terminal: tables drawn with Spectre.Console, or JSON with <c>--json</c>.</summary>
internal sealed class CliVerbContext(TextWriter writer) : IVerbContext
{
    private readonly IAnsiConsole _console = Terminal.Create(writer);

    /// <summary>Set from the parsed <c>--json</c> option before the verb runs.</summary>
    public bool Json { get; set; }

    public void Display(object value)
    {
        if (Json)
        {
            writer.WriteLine(VerbJson.Serialize(value));
            return;
        }

        if (value is IVerbResult result)
        {
            foreach (var table in result.ToTables())
            {
                Write(table);
            }

            return;
        }

        if (value is ResultTable rows)
        {
            Write(rows);
            return;
        }

        writer.WriteLine(value.ToDisplayString("text/plain"));
    }

    public void WriteLine(string text) => writer.WriteLine(text);

    /// <inheritdoc/>
    public T WithProgress<T>(string title, Func<IProgress<ProgressUpdate>, T> work) =>
        TerminalProgress.Run(_console, !Json && writer == Terminal.Out && !Terminal.IsOutputRedirected, title, work);

    // A terminal gets a layout that fits its width; a pipe gets every value whole, tab-separated.
    private void Write(ResultTable table)
    {
        if (writer == Terminal.Out && !Terminal.IsOutputRedirected)
        {
            TableText.WriteTerminal(writer, table, Terminal.Width);
        }
        else
        {
            TableText.WritePiped(writer, table);
        }
    }
}
