using System.Reflection;
using System.Runtime.Loader;

namespace NotebookMl.Kernel.Extensions;

/// <summary>Finds <see cref="IKernelExtension"/> implementations in assemblies.</summary>
public static class ExtensionLoader
{
    /// <summary>
    /// Instances of every public, concrete <see cref="IKernelExtension"/> in the assembly at <paramref name="path"/>;
    /// none when it is not built against this kernel (a .NET Interactive extension, such as
    /// NotebookMl.Interactive's, is for dotnet-interactive; this kernel has those verbs already).
    /// </summary>
    public static IReadOnlyList<IKernelExtension> FromAssemblyFile(string path)
    {
        var full = Path.GetFullPath(path);
        var name = AssemblyName.GetAssemblyName(full);
        var kernelAssembly = typeof(IKernelExtension).Assembly.GetName().Name;
        using (var file = File.OpenRead(full))
        using (var pe = new System.Reflection.PortableExecutable.PEReader(file))
        {
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            var references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).ToHashSet(StringComparer.Ordinal);
            if (!references.Contains(kernelAssembly!) || references.Contains("Microsoft.DotNet.Interactive"))
            {
                return [];
            }
        }

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
