using System.Runtime.CompilerServices;

namespace NotebookMl.Testing;

/// <summary>Locates files of the repository from tests, wherever the test binaries run.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the folder holding NotebookMl.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The python that has Debian's Jupyter stack (jupyter_client, nbclient, nbformat).</summary>
    public static string SystemPython => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>The build configuration these tests were compiled in (Debug or Release).</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>The built `notebookml` executable (apphost) of the CLI project.</summary>
    public static string CliExecutable =>
        Path.Combine(Root, "src", "NotebookMl.Cli", "bin", Configuration, "net10.0", "notebookml");

    /// <summary>A path below the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The folder of the calling source file, for snapshots kept beside their tests.</summary>
    public static string SourceFolder([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NotebookMl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"NotebookMl.sln was not found above {AppContext.BaseDirectory}.");
    }
}
