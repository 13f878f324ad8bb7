using System.Reflection;
using System.Runtime.Loader;

namespace NotebookMl.Kernel.Extensions;

/// <summary>Finds <see cref="IKernelExtension"/> implementations in assemblies.</summary>
public static class ExtensionLoader
{
    /// <summary>Instances of every public, concrete <see cref="IKernelExtension"/> in the assembly at <paramref name="path"/>.</summary>
    public static IReadOnlyList<IKernelExtension> FromAssemblyFile(string path)
    {
        var full = Path.GetFullPath(path);
        var name = AssemblyName.GetAssemblyName(full);
        // Share one copy of an assembly already loaded (the kernel's own, or the same extension twice).
        var assembly = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name))
            ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        return FromAssembly(assembly);
    }

    /// <summary>Instances of every public, concrete <see cref="IKernelExtension"/> in <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<IKernelExtension> FromAssembly(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IKernelExtension).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IKernelExtension)Activator.CreateInstance(t)!)
            .ToArray();
}
