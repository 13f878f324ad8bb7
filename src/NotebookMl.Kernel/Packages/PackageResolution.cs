using Microsoft.CodeAnalysis;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Packages;

/// <summary>What resolving a cell's packages gave: new references and extensions, or a failure.</summary>
internal sealed record PackageResolution(
    IReadOnlyList<MetadataReference> NewReferences,
    IReadOnlyList<string> ExtensionAssemblies,
    CommandFailed? Failure)
{
    public static PackageResolution Failed(string message) =>
        new([], [], new CommandFailed("PackageResolutionError", message, []));
}
