using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace NotebookMl.Kernel.Packages;

/// <summary>
/// Lets assemblies from restored packages find their native libraries (and managed dependencies)
/// in the package output folders, in whichever load context Roslyn's loader put them.
/// </summary>
internal static class NativeLibraryProbe
{
    private static readonly object s_sync = new();
    private static readonly List<string> s_directories = [];
    private static readonly HashSet<AssemblyLoadContext> s_hooked = [];

    public static void AddDirectory(string directory)
    {
        lock (s_sync)
        {
            if (s_directories.Contains(directory))
            {
                return;
            }

            s_directories.Add(directory);
            if (s_directories.Count == 1)
            {
                Hook(AssemblyLoadContext.Default);
                AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Hook(AssemblyLoadContext.GetLoadContext(e.LoadedAssembly));
                foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
                {
                    Hook(AssemblyLoadContext.GetLoadContext(assembly));
                }
            }
        }
    }

    private static void Hook(AssemblyLoadContext? context)
    {
        lock (s_sync)
        {
            if (context is null || !s_hooked.Add(context))
            {
                return;
            }
        }

        context.ResolvingUnmanagedDll += (_, name) => FindNative(name) is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;
        context.Resolving += (loadContext, name) => FindManaged(name) is { } path ? loadContext.LoadFromAssemblyPath(path) : null;
    }

    private static string? FindNative(string name)
    {
        string[] candidates = [name, $"lib{name}.so", $"{name}.so", $"lib{name}", $"lib{name}.dylib", $"{name}.dll"];
        lock (s_sync)
        {
            return s_directories.SelectMany(d => candidates.Select(c => Path.Combine(d, c))).FirstOrDefault(File.Exists);
        }
    }

    private static string? FindManaged(AssemblyName name)
    {
        lock (s_sync)
        {
            return s_directories.Select(d => Path.Combine(d, name.Name + ".dll")).FirstOrDefault(File.Exists);
        }
    }
}
