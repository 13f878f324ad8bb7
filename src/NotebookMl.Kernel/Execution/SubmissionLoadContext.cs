using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Where a kernel's cells are loaded: one context for all of them (each cell is an assembly that
/// later cells reference by name), which also loads assemblies referenced with <c>#r "path"</c>.
/// Everything else comes from the default context, as for the kernel itself.
/// </summary>
internal sealed class SubmissionLoadContext : AssemblyLoadContext
{
    private readonly ConcurrentDictionary<string, Assembly> _cells = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.OrdinalIgnoreCase);

    public SubmissionLoadContext()
        : base("notebookml cells")
    {
        // Only after the default context did not find it: an assembly the host already loaded is shared.
        Resolving += (_, name) => name.Name is { } simple && _files.TryGetValue(simple, out var path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>Loads a cell's image; later cells find it by its assembly name.</summary>
    public Assembly LoadCell(byte[] image)
    {
        using var stream = new MemoryStream(image, writable: false);
        var assembly = LoadFromStream(stream);
        _cells[assembly.GetName().Name!] = assembly;
        return assembly;
    }

    /// <summary>Makes an assembly file a cell compiled against loadable by its simple name.</summary>
    public void AddFile(string path) => _files.TryAdd(Path.GetFileNameWithoutExtension(path), path);

    protected override Assembly? Load(AssemblyName assemblyName) =>
        assemblyName.Name is { } name && _cells.TryGetValue(name, out var cell) ? cell : null;
}
