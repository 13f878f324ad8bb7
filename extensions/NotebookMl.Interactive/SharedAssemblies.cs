using System.Reflection;
using System.Runtime.Loader;

namespace NotebookMl.Interactive;

/// <summary>
/// Assemblies the host has loaded already at a lower version than NotebookMl's dependencies ask for:
/// dotnet-interactive 1.0.712001 runs FSharp.Core 10.0 (its F# kernel), while Plotly.NET 6 and
/// DynamicObj 8 are built against 10.1. One process can hold one FSharp.Core, so those requests get
/// the host's copy, as a binding redirect would give them.
/// </summary>
internal static class SharedAssemblies
{
    private static readonly string[] s_names = ["FSharp.Core"];
    // Once per process: the default load context is the process's own.
    private static readonly Lazy<bool> s_installed = new(() =>
    {
        AssemblyLoadContext.Default.Resolving += Resolve;
        return true;
    });

    public static void UseHostsCopies() => _ = s_installed.Value;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        s_names.Contains(name.Name, StringComparer.Ordinal)
            ? context.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.Ordinal))
            : null;
}
