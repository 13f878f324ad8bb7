using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Scripting;
using NotebookMl.Kernel.Display;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Compiles cells as a chain of Roslyn submissions, each continuing from the last one that ran.
/// This is what Roslyn's <c>Script</c> API does, less what a kernel does not need: a cell is bound
/// once (the API binds it for diagnostics, then again to emit), and a cell that adds no reference
/// shares the bound references of the one before (<see cref="RoslynInternals"/>). A kernel keeps
/// every submission, so both show in the memory kept per cell and in each cell's time.
/// </summary>
internal sealed class SubmissionCompiler
{
    private readonly object _sync = new();
    private readonly string _assemblyPrefix = $"notebookml-cells-{Guid.NewGuid():N}-";
    private readonly CSharpCompilationOptions _options;
    private readonly List<MetadataReference> _pending;
    private CSharpCompilation? _boundReferences;
    private int _count;

    public SubmissionCompiler(ScriptOptions options)
    {
        _pending = [.. options.MetadataReferences];
        _options = RoslynInternals.IgnoringCorLibraryDuplicates(new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            usings: options.Imports,
            optimizationLevel: options.OptimizationLevel,
            checkOverflow: options.CheckOverflow,
            allowUnsafe: options.AllowUnsafe,
            warningLevel: options.WarningLevel,
            sourceReferenceResolver: options.SourceResolver,
            metadataReferenceResolver: options.MetadataResolver,
            assemblyIdentityComparer: DesktopAssemblyIdentityComparer.Default));
    }

    /// <summary>The last submission that ran; every earlier one is chained to it.</summary>
    public CSharpCompilation? Last { get; private set; }

    /// <summary>References the next submission adds (and every later one inherits).</summary>
    public void AddReferences(IEnumerable<MetadataReference> references)
    {
        lock (_sync)
        {
            _pending.AddRange(references);
        }
    }

    /// <summary>A submission of <paramref name="tree"/> after <see cref="Last"/>, not yet bound.</summary>
    public CSharpCompilation Create(SyntaxTree tree)
    {
        MetadataReference[] added;
        int number;
        lock (_sync)
        {
            added = [.. _pending];
            number = ++_count;
        }

        var compilation = CSharpCompilation.CreateScriptCompilation(
            _assemblyPrefix + number,
            tree,
            added,
            _options.WithScriptClassName($"Submission#{number}"),
            Last,
            typeof(object),
            typeof(KernelGlobals));
        if (added.Length == 0 && _boundReferences is not null && !HasReferenceDirectives(compilation))
        {
            RoslynInternals.TryShareReferences(_boundReferences, compilation);
        }

        return compilation;
    }

    /// <summary>Emits <paramref name="compilation"/>: its image, or its errors.</summary>
    public static (byte[]? Image, IReadOnlyList<Diagnostic> Errors) Emit(CSharpCompilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        return result.Success
            ? (image.ToArray(), [])
            : (null, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray());
    }

    /// <summary>The assembly files <paramref name="compilation"/> references that earlier submissions did not.</summary>
    public static IEnumerable<string> NewFiles(CSharpCompilation compilation) =>
        compilation.ExternalReferences.Concat(HasReferenceDirectives(compilation) ? compilation.DirectiveReferences : [])
            .OfType<PortableExecutableReference>().Select(r => r.FilePath).OfType<string>();

    /// <summary>Makes <paramref name="compilation"/>, emitted and run, the one the next submission continues from.</summary>
    public void Advance(CSharpCompilation compilation)
    {
        Last = compilation;
        lock (_sync)
        {
            if (_boundReferences is null || compilation.ExternalReferences.Length > 0 || HasReferenceDirectives(compilation))
            {
                // It bound references of its own: the next submissions share those.
                _pending.RemoveAll(compilation.ExternalReferences.Contains);
                _ = compilation.Assembly;
                _boundReferences = compilation;
            }
        }
    }

    private static bool HasReferenceDirectives(CSharpCompilation compilation) =>
        compilation.SyntaxTrees.Any(t => t.GetCompilationUnitRoot().GetReferenceDirectives().Count > 0);
}
