using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using NotebookMl.Kernel.Display;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// What every cell compiles against: the runtime's assemblies, with the SDK reference pack's XML
/// docs where present (so hover shows documentation); plus DataFrame, the Formatter API and the
/// kernel's display API. And the namespaces imported by default.
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
        var docs = FindReferencePack(RuntimeDirectory);
        return framework.Select(p => FromFile(p, docs)).Concat(extra.Values.Select(p => FromFile(p))).ToArray();
    }

    /// <summary>A reference with its XML documentation, found beside it or in <paramref name="documentationFolder"/>.</summary>
    public static MetadataReference FromFile(string path, string? documentationFolder = null)
    {
        var xml = documentationFolder is null ? Path.ChangeExtension(path, ".xml") : Path.Combine(documentationFolder, Path.GetFileNameWithoutExtension(path) + ".xml");
        DocumentationProvider? documentation = File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null;
        // System.Private.CoreLib's public types are documented in the reference pack's facades (System.Runtime.xml, …).
        if (documentation is null && documentationFolder is not null && Path.GetFileNameWithoutExtension(path) == "System.Private.CoreLib")
        {
            documentation = new CompositeDocumentationProvider(Directory.GetFiles(documentationFolder, "*.xml").Order(StringComparer.Ordinal).ToArray());
        }

        return MetadataReference.CreateFromFile(path, documentation: documentation);
    }

    private static string RuntimeDirectory => RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);

    private static void AddWithDependencies(Assembly assembly, HashSet<string> frameworkNames, Dictionary<string, string> found)
    {
        var name = assembly.GetName().Name!;
        // Framework implementation assemblies (System.Private.CoreLib, which some packages name
        // directly) would clash with the reference pack's System.Runtime.
        if (frameworkNames.Contains(name) || found.ContainsKey(name) || string.IsNullOrEmpty(assembly.Location)
            || assembly.Location.StartsWith(Path.GetDirectoryName(typeof(object).Assembly.Location)!, StringComparison.Ordinal))
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

    // Cells compile against the host's System.Private.CoreLib, as Roslyn scripting does, so against
    // the runtime's implementation assemblies (a reference pack's System.Runtime would clash with it);
    // the reference pack, when the SDK is installed, only lends its XML documentation. Every
    // reference costs binding time when references change and memory in every cell (its usings bind
    // against all of them), so the default set is the assemblies notebooks use; any other framework
    // assembly is one `#r "System.Xml.Linq"` away.
    private static IReadOnlyList<string> FrameworkAssemblyPaths()
    {
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator);
        return trusted
            .Where(p => p.StartsWith(RuntimeDirectory, StringComparison.Ordinal) && s_framework.Contains(Path.GetFileNameWithoutExtension(p)) && IsManaged(p))
            .ToArray();
    }

    private static readonly HashSet<string> s_framework = new(StringComparer.OrdinalIgnoreCase)
    {
        "System.Private.CoreLib", "System.Runtime", "netstandard", "mscorlib", "System", "System.Core",
        "System.Console", "System.Collections", "System.Collections.Concurrent", "System.Collections.Immutable",
        "System.Linq", "System.Linq.Expressions", "System.Linq.Parallel", "System.Memory", "System.Runtime.Numerics",
        "System.Numerics.Vectors", "System.Runtime.Intrinsics", "System.Runtime.InteropServices", "System.Runtime.Extensions",
        "System.Threading", "System.Threading.Tasks", "System.Threading.Tasks.Parallel", "System.Threading.Channels",
        "System.Threading.Thread", "System.IO", "System.IO.Compression", "System.IO.FileSystem", "System.Text.Json",
        "System.Text.RegularExpressions", "System.Text.Encoding.Extensions", "System.Net.Http", "System.Net.Primitives",
        "System.Private.Uri", "System.ObjectModel", "System.ComponentModel", "System.ComponentModel.Primitives",
        "System.ComponentModel.TypeConverter", "System.Diagnostics.Process", "System.Diagnostics.Tracing",
        "System.Diagnostics.DiagnosticSource", "System.Globalization", "System.Data.Common", "System.Xml.ReaderWriter",
        "System.Private.Xml", "System.Xml.Linq", "System.Private.Xml.Linq", "System.Web.HttpUtility", "System.Buffers",
    };

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
