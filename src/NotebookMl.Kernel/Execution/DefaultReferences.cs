using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookMl.Kernel.Display;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// What every cell compiles against: the .NET reference pack with its XML docs (so hover shows
/// documentation) or, without an SDK, the runtime's own assemblies; plus DataFrame, the Formatter
/// API and the kernel's display API. And the namespaces imported by default.
/// </summary>
internal static class DefaultReferences
{
    public static IReadOnlyList<string> Usings { get; } =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Text",
        "System.Threading", "System.Threading.Tasks", "Microsoft.Data.Analysis",
        "Microsoft.DotNet.Interactive.Formatting", "NotebookMl.Kernel.Display",
    ];

    public static IReadOnlyList<MetadataReference> Create()
    {
        var framework = FrameworkAssemblyPaths();
        var frameworkNames = framework.Select(p => Path.GetFileNameWithoutExtension(p)!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extra = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in new[] { typeof(DataFrame).Assembly, typeof(Formatter).Assembly })
        {
            AddWithDependencies(root, frameworkNames, extra);
        }

        extra[typeof(KernelGlobals).Assembly.GetName().Name!] = typeof(KernelGlobals).Assembly.Location;
        return framework.Concat(extra.Values).Select(FromFile).ToArray();
    }

    /// <summary>A reference with the XML documentation beside it, when there is one.</summary>
    public static MetadataReference FromFile(string path)
    {
        var xml = Path.ChangeExtension(path, ".xml");
        return MetadataReference.CreateFromFile(path, documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);
    }

    private static void AddWithDependencies(Assembly assembly, HashSet<string> frameworkNames, Dictionary<string, string> found)
    {
        var name = assembly.GetName().Name!;
        if (frameworkNames.Contains(name) || found.ContainsKey(name) || string.IsNullOrEmpty(assembly.Location))
        {
            return;
        }

        found[name] = assembly.Location;
        foreach (var dependency in assembly.GetReferencedAssemblies())
        {
            if (!frameworkNames.Contains(dependency.Name!))
            {
                try
                {
                    AddWithDependencies(Assembly.Load(dependency), frameworkNames, found);
                }
                catch (FileNotFoundException)
                {
                    // An optional dependency the kernel does not ship; cells cannot use it either.
                }
            }
        }
    }

    private static IReadOnlyList<string> FrameworkAssemblyPaths()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        var referencePack = FindReferencePack(runtimeDirectory);
        if (referencePack is not null)
        {
            return Directory.GetFiles(referencePack, "*.dll");
        }

        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        return trusted.Where(p => p.StartsWith(runtimeDirectory, StringComparison.Ordinal) && IsManaged(p)).ToArray();
    }

    // <dotnet>/shared/Microsoft.NETCore.App/<version>/ → <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.<minor>/
    private static string? FindReferencePack(string runtimeDirectory)
    {
        var version = Path.GetFileName(runtimeDirectory);
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var exact = Path.Combine(packs, version, "ref", tfm);
        if (Directory.Exists(exact))
        {
            return exact;
        }

        return Directory.Exists(packs)
            ? Directory.GetDirectories(packs).Select(d => Path.Combine(d, "ref", tfm)).Where(Directory.Exists).OrderDescending().FirstOrDefault()
            : null;
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
