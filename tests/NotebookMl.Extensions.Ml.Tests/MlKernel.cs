using NotebookMl.Extensions.Ml;
using NotebookMl.Kernel.Extensions;

namespace NotebookMl.Extensions.Ml.Tests;

/// <summary>The ML verbs as the notebookml kernel loads them (the CLI's <c>kernel start</c> composes the same extension).</summary>
internal static class MlKernel
{
    public static VerbExtension Extension() => new(MlVerbs.Create, MlVerbs.CellAssemblies, MlFormatters.Register);
}
