using Spectre.Console;

namespace NotebookMl.Cli.Rendering;

/// <summary>
/// The CLI's one terminal abstraction: the only type of the CLI that touches <see cref="System.Console"/>
/// (a convention test holds it to that). Everything else writes through its writers or consoles.
/// </summary>
internal static class Terminal
{
    /// <summary>Standard output.</summary>
    public static TextWriter Out => Console.Out;

    /// <summary>Standard error: errors, progress lines of redirected runs.</summary>
    public static TextWriter Error => Console.Error;

    /// <summary>True when standard output is a file or a pipe, not a terminal.</summary>
    public static bool IsOutputRedirected => Console.IsOutputRedirected;

    /// <summary>The terminal's width in characters (80 when it cannot be read).</summary>
    public static int Width
    {
        get
        {
            try
            {
                return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }

    /// <summary>True when a live display can be drawn: a terminal, not CI, not a dumb terminal.</summary>
    public static bool Interactive =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");

    /// <summary>A one-line user error on stderr, as <c>notebookml: MESSAGE</c>.</summary>
    public static Task FailAsync(string message) => Console.Error.WriteLineAsync($"notebookml: {message}");

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
