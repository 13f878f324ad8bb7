using Spectre.Console;

namespace NotebookMl.Cli.Rendering;

/// <summary>The one way the CLI makes a Spectre.Console console.</summary>
internal static class Terminal
{
    /// <summary>
    /// A console writing to <paramref name="writer"/>. Redirected output (a file, a pipe, CI, a
    /// service's log) has no width; Spectre would wrap lines and squeeze tables at 80 columns.
    /// </summary>
    public static IAnsiConsole Create(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (writer != Console.Out || Console.IsOutputRedirected)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
