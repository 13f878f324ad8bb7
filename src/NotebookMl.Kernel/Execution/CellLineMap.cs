using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Finds the cell line of a stack frame in cell code. Cells are compiled without debug
/// information (it costs ~3 ms on every cell); when one throws, its compilation, which the script
/// state keeps anyway, is emitted again with a portable PDB (the same IL in a Release build) and
/// the frame's IL offset is looked up in its sequence points.
/// </summary>
internal sealed class CellLineMap(Func<string, Compilation?> findCompilation)
{
    private readonly Dictionary<string, MetadataReaderProvider?> _pdbs = new(StringComparer.Ordinal);

    /// <summary>The 1-based cell line of <paramref name="method"/> at <paramref name="ilOffset"/>, or null.</summary>
    public int? LineOf(MethodBase method, int ilOffset)
    {
        var assembly = method.Module.Assembly.GetName().Name;
        if (assembly is null || ilOffset < 0 || Pdb(assembly) is not { } provider)
        {
            return null;
        }

        var reader = provider.GetMetadataReader();
        var handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken & 0x00FFFFFF);
        SequencePoint? best = null;
        foreach (var point in reader.GetMethodDebugInformation(handle.ToDebugInformationHandle()).GetSequencePoints())
        {
            if (point.IsHidden)
            {
                continue;
            }

            if (point.Offset > ilOffset)
            {
                break;
            }

            best = point;
        }

        return best?.StartLine;
    }

    private MetadataReaderProvider? Pdb(string assemblyName)
    {
        if (_pdbs.TryGetValue(assemblyName, out var cached))
        {
            return cached;
        }

        MetadataReaderProvider? provider = null;
        if (findCompilation(assemblyName) is { } compilation)
        {
            using var pe = new MemoryStream();
            var pdb = new MemoryStream();
            if (compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb)).Success)
            {
                pdb.Position = 0;
                provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
            }
        }

        _pdbs[assemblyName] = provider;
        return provider;
    }
}
