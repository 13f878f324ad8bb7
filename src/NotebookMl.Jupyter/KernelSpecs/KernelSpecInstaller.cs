using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookMl.Jupyter.KernelSpecs;

/// <summary>Writes the <c>kernel.json</c> that lets Jupyter (and VS Code) start this kernel.</summary>
public static partial class KernelSpecInstaller
{
    /// <summary>The default kernelspec name.</summary>
    public const string DefaultName = "notebookml-csharp";

    /// <summary>The name Jupyter shows in its kernel pickers.</summary>
    public const string DisplayName = "C# (NotebookMl)";

    /// <summary>
    /// Installs the kernelspec <paramref name="name"/> whose argv runs <paramref name="kernelCommand"/>
    /// (the built <c>notebookml</c> executable) followed by <c>kernel start --connection-file {connection_file}</c>.
    /// </summary>
    /// <returns>The folder written.</returns>
    public static string Install(IReadOnlyList<string> kernelCommand, KernelSpecLocation location, string? prefix, string name = DefaultName)
    {
        if (!ValidName().IsMatch(name))
        {
            throw new ArgumentException($"--name '{name}' is not a valid kernelspec name; use letters, digits, '.', '_' and '-'.");
        }

        var kernels = KernelsFolder(location, prefix);
        var folder = Path.Combine(kernels, name);
        Directory.CreateDirectory(folder);
        var argv = new JsonArray([.. kernelCommand.Select(a => (JsonNode)a), "kernel", "start", "--connection-file", "{connection_file}"]);
        var spec = new JsonObject
        {
            ["argv"] = argv,
            ["display_name"] = DisplayName,
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["env"] = new JsonObject(),
            ["metadata"] = new JsonObject { ["debugger"] = false },
        };
        File.WriteAllText(Path.Combine(folder, "kernel.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        foreach (var logo in new[] { "logo-32x32.png", "logo-64x64.png" })
        {
            using var source = typeof(KernelSpecInstaller).Assembly.GetManifestResourceStream("NotebookMl.Jupyter." + logo)!;
            using var target = File.Create(Path.Combine(folder, logo));
            source.CopyTo(target);
        }

        return folder;
    }

    /// <summary>The kernelspec name .NET Interactive gives its C# kernel, which Polyglot notebooks name.</summary>
    public const string DotnetInteractiveName = ".net-csharp";

    /// <summary>
    /// Installs the <c>.net-csharp</c> kernelspec of .NET Interactive's Jupyter kernel, run by
    /// <paramref name="dotnetInteractive"/> (the <c>dotnet-interactive</c> tool), as
    /// <c>dotnet interactive jupyter install</c> would for a tool on PATH.
    /// </summary>
    /// <returns>The folder written.</returns>
    public static string InstallDotnetInteractive(string dotnetInteractive, KernelSpecLocation location, string? prefix)
    {
        if (!File.Exists(dotnetInteractive))
        {
            throw new ArgumentException($"--dotnet-interactive: {dotnetInteractive} does not exist; install the tool with 'dotnet tool install --tool-path DIR Microsoft.dotnet-interactive' (./build.sh test puts it in .tools/).");
        }

        var folder = Path.Combine(KernelsFolder(location, prefix), DotnetInteractiveName);
        Directory.CreateDirectory(folder);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(Path.GetFullPath(dotnetInteractive), "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"),
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
        };
        File.WriteAllText(Path.Combine(folder, "kernel.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return folder;
    }

    /// <summary>The kernels folder for a location, as <c>jupyter kernelspec install</c> resolves it.</summary>
    public static string KernelsFolder(KernelSpecLocation location, string? prefix) => location switch
    {
        KernelSpecLocation.Prefix => Path.Combine(Path.GetFullPath(prefix ?? throw new ArgumentException("--prefix needs a folder.")), "share", "jupyter", "kernels"),
        KernelSpecLocation.User => Path.Combine(UserDataFolder(), "kernels"),
        KernelSpecLocation.SysPrefix => Path.Combine(JupyterSysPrefix(), "share", "jupyter", "kernels"),
        _ => "/usr/local/share/jupyter/kernels",
    };

    private static string UserDataFolder() =>
        Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } explicitFolder
            ? explicitFolder
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"),
                "jupyter");

    // sys.prefix of the Python that runs `jupyter` (as `jupyter kernelspec install --sys-prefix` uses its own).
    private static string JupyterSysPrefix()
    {
        var jupyter = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "jupyter")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("--sys-prefix needs 'jupyter' on PATH to find its Python; none was found. Use --user or --prefix DIR.");
        var shebang = File.ReadLines(jupyter).FirstOrDefault() ?? "";
        var python = shebang.StartsWith("#!", StringComparison.Ordinal) ? shebang[2..].Trim().Split(' ')[0] : "python3";
        var info = new ProcessStartInfo(python, ["-c", "import sys; print(sys.prefix)"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not run {python} to find sys.prefix.");
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && output.Length > 0 ? output : throw new InvalidOperationException($"{python} did not report sys.prefix.");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex ValidName();
}
