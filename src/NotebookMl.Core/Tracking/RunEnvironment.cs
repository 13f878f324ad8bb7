using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NotebookMl.Core.Tracking;

/// <summary>What a run records about where it ran: git commit and dirty flag, OS, .NET, CPU, GPU, package versions.</summary>
internal static class RunEnvironment
{
    private static readonly string[] s_packages =
    [
        "NotebookMl.Core", "NotebookMl.Kernel", "NotebookMl.Training", "Microsoft.ML", "Microsoft.ML.LightGbm", "Microsoft.ML.FastTree",
        "TorchSharp", "Microsoft.ML.OnnxRuntime", "Microsoft.Data.Analysis", "DuckDB.NET.Data", "Apache.Arrow",
    ];

    /// <summary>The machine and process.</summary>
    public static Dictionary<string, string> Describe()
    {
        var environment = new Dictionary<string, string>
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
            ["cpu_count"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cpu"] = CpuModel() ?? "unknown",
            ["gpu"] = Gpus() ?? "none",
        };
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            var name = assembly.GetName().Name;
            if (name is not null && s_packages.Contains(name))
            {
                environment["package." + name] = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                    ?? assembly.GetName().Version?.ToString() ?? "?";
            }
        }

        return environment;
    }

    /// <summary>The commit checked out in <paramref name="directory"/>'s repository and whether tracked files differ from it; nulls outside git.</summary>
    public static (string? Commit, bool? Dirty) Git(string directory)
    {
        var commit = RunGit(directory, "rev-parse", "HEAD");
        if (commit is null)
        {
            return (null, null);
        }

        var status = RunGit(directory, "status", "--porcelain", "--untracked-files=no");
        return (commit, status is null ? null : status.Length > 0);
    }

    private static string? RunGit(string directory, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(5000))
            {
                process.Kill();
                return null;
            }

            return process.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? CpuModel()
    {
        try
        {
            return File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? Gpus()
    {
        const string nvidia = "/proc/driver/nvidia/gpus";
        if (!Directory.Exists(nvidia))
        {
            return null;
        }

        var models = Directory.GetDirectories(nvidia)
            .Select(d => Path.Combine(d, "information"))
            .Where(File.Exists)
            .Select(f => File.ReadLines(f).FirstOrDefault(l => l.StartsWith("Model:", StringComparison.Ordinal))?.Split(':', 2)[1].Trim())
            .Where(m => m is not null)
            .ToArray();
        return models.Length == 0 ? null : string.Join(", ", models);
    }
}
