using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Interactive.Tests;

/// <summary>
/// The real <c>dotnet-interactive stdio</c> (installed into .tools/ by build.sh), driven as VS Code
/// Polyglot Notebooks drives it: one JSON command envelope per line in, event envelopes out.
/// </summary>
internal sealed class StdioHost : IAsyncDisposable
{
    private readonly Process _process;
    private int _next;

    public StdioHost(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var tool = RepoPaths.Of(".tools", "dotnet-interactive");
        Assert.True(File.Exists(tool), $"{tool} is missing; ./build.sh test installs dotnet-interactive there.");
        var info = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add("stdio");
        info.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
    }

    /// <summary>The package folder and the #r that load NotebookMl into the C# kernel.</summary>
    public static string LoadCode => $"#i \"nuget: {RepoPaths.Of("artifacts", "packages")}\"\n#r \"nuget: NotebookMl.Interactive, 0.1.0\"";

    /// <summary>Submits <paramref name="code"/> to the C# kernel; returns every event of it (child commands' too), the last being CommandSucceeded or CommandFailed.</summary>
    public async Task<IReadOnlyList<JsonObject>> SubmitAsync(string code, TimeSpan? timeout = null)
    {
        var token = $"test-{++_next}";
        var envelope = new JsonObject { ["token"] = token, ["commandType"] = "SubmitCode", ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" } };
        await _process.StandardInput.WriteLineAsync(envelope.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var events = new List<JsonObject>();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException($"dotnet-interactive exited; events so far: {string.Join("\n", events)}");
            if (!line.StartsWith('{') || JsonNode.Parse(line) is not JsonObject e || e["eventType"] is null)
            {
                continue;
            }

            var eventToken = (string?)e["command"]?["token"] ?? "";
            if (eventToken != token && !eventToken.StartsWith(token + ".", StringComparison.Ordinal))
            {
                continue;
            }

            events.Add(e);
            if (eventToken == token && (string?)e["eventType"] is "CommandSucceeded" or "CommandFailed")
            {
                return events;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
