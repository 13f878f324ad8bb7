using System.Diagnostics;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Serving;

/// <summary><c>notebookml serve</c> as a child process in a workspace: its log lines, the address it listens on, SIGTERM.</summary>
internal sealed class ServeProcess : IDisposable
{
    private ServeProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Every line it has written so far.</summary>
    public List<string> Lines { get; } = [];

    /// <summary>The REST address, once <see cref="StartAsync"/> returned.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Starts <c>notebookml ARGUMENTS</c> in <paramref name="folder"/> (its workspace) and waits for the "serving … on URL" line.</summary>
    public static Task<ServeProcess> StartAsync(string folder, params string[] arguments) =>
        StartAsync(folder, new Dictionary<string, string>(), arguments);

    /// <summary>Starts <c>notebookml ARGUMENTS</c> in <paramref name="folder"/> with <paramref name="environment"/> added to its own.</summary>
    public static async Task<ServeProcess> StartAsync(string folder, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(RepoPaths.CliExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NOTEBOOKML_HOME"] = Path.Combine(folder, ".notebookml");
        info.Environment["CI"] = "true";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var server = new ServeProcess(Process.Start(info)!);
        var started = await server.ReadUntilAsync(l => l.Contains(" model(s) on ", StringComparison.Ordinal));
        server.Url = started[(started.IndexOf(" on ", StringComparison.Ordinal) + 4)..started.IndexOf(" (", StringComparison.Ordinal)];
        return server;
    }

    /// <summary>Reads lines until one is <paramref name="wanted"/>; a server that ends first is an error showing what it wrote.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await Process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            Lines.Add(line);
            if (wanted(line))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"the server ended without the line; it wrote:\n{string.Join("\n", Lines)}\n{await Process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        var kill = await ProcessRunner.RunAsync("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        Assert.Equal(0, kill.ExitCode);
        Assert.True(Process.WaitForExit(30_000), "the server did not stop within 30 s of SIGTERM");
        return Process.ExitCode;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}
