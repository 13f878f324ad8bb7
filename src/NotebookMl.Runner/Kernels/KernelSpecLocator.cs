using System.Text.RegularExpressions;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// Finds kernelspecs in an ordered list of <c>kernels</c> folders, as jupyter_client's
/// <c>KernelSpecManager</c> does: names are matched lowercase, the first folder holding a name wins.
/// </summary>
internal sealed partial class KernelSpecLocator(IReadOnlyList<string> kernelFolders, Func<KernelSpec?> nativePythonKernel)
{
    /// <summary>The kernelspec name jupyter_client falls back to ipykernel for.</summary>
    public const string NativeKernelName = "python3";

    /// <summary>The <c>kernels</c> folders searched, in order.</summary>
    public IReadOnlyList<string> KernelFolders => kernelFolders;

    /// <summary>
    /// A locator over <paramref name="jupyterPaths"/> (data folders searched first), then Jupyter's
    /// usual data folders, with ipykernel's own spec as the <c>python3</c> fallback.
    /// </summary>
    public static KernelSpecLocator ForJupyterPaths(IReadOnlyList<string>? jupyterPaths) =>
        new(JupyterDataFolders(jupyterPaths).Select(d => Path.Combine(d, "kernels")).Distinct().ToArray(), NativePythonKernel.Find);

    /// <summary>Jupyter's data folders in its search order, after <paramref name="explicitPaths"/>.</summary>
    public static IEnumerable<string> JupyterDataFolders(IReadOnlyList<string>? explicitPaths)
    {
        foreach (var path in explicitPaths ?? [])
        {
            yield return Path.GetFullPath(path);
        }

        foreach (var path in (Environment.GetEnvironmentVariable("JUPYTER_PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.GetFullPath(path);
        }

        yield return UserDataFolder();
        yield return "/usr/local/share/jupyter";
        yield return "/usr/share/jupyter";
    }

    /// <summary>The kernelspec named <paramref name="name"/> (case-insensitive), or null.</summary>
    public KernelSpec? Find(string name)
    {
        var key = name.ToLowerInvariant();
        foreach (var (specName, folder) in Candidates())
        {
            if (specName == key)
            {
                return KernelSpecFile.Read(Path.Combine(folder, KernelSpecFile.FileName), specName);
            }
        }

        return key == NativeKernelName ? nativePythonKernel() : null;
    }

    /// <summary>Every valid kernelspec, sorted by name; broken <c>kernel.json</c> files are left out.</summary>
    public IReadOnlyList<KernelSpec> FindAll()
    {
        var found = new SortedDictionary<string, KernelSpec?>(StringComparer.Ordinal);
        foreach (var (specName, folder) in Candidates())
        {
            if (found.ContainsKey(specName))
            {
                continue;
            }

            try
            {
                found[specName] = KernelSpecFile.Read(Path.Combine(folder, KernelSpecFile.FileName), specName);
            }
            catch (InvalidDataException)
            {
                // Listed as jupyter does: a broken spec shadows later ones of its name but is not shown.
                found[specName] = null;
            }
        }

        if (!found.ContainsKey(NativeKernelName) && nativePythonKernel() is { } native)
        {
            found[NativeKernelName] = native;
        }

        return found.Values.OfType<KernelSpec>().ToArray();
    }

    private IEnumerable<(string Name, string Folder)> Candidates()
    {
        foreach (var kernels in kernelFolders)
        {
            if (!Directory.Exists(kernels))
            {
                continue;
            }

            foreach (var folder in Directory.GetDirectories(kernels).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(folder);
                if (ValidName().IsMatch(name) && File.Exists(Path.Combine(folder, KernelSpecFile.FileName)))
                {
                    yield return (name.ToLowerInvariant(), folder);
                }
            }
        }
    }

    private static string UserDataFolder() =>
        Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } explicitFolder
            ? Path.GetFullPath(explicitFolder)
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"),
                "jupyter");

    [GeneratedRegex("^[a-z0-9._-]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ValidName();
}
