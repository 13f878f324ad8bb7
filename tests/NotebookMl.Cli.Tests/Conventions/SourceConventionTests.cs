using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Conventions;

/// <summary>
/// House rules read from the source, as a reader meets it: every file's namespace is its folder, and no folder of a project
/// uses a folder that uses it back. The references are Roslyn's bound symbols (a type, a member, an extension method, a
/// constant, a <c>nameof</c>), so what the compiler inlines and IL never shows counts too.
/// </summary>
public sealed class SourceConventionTests
{
    // Project folder → the assembly it builds (in the CLI's output folder, with every dependency beside it).
    private static readonly (string Folder, string Assembly)[] s_projects =
    [
        ("src/NotebookMl.Core", "NotebookMl.Core"), ("src/NotebookMl.Training", "NotebookMl.Training"), ("src/NotebookMl.Training.Torch", "NotebookMl.Training.Torch"),
        ("src/NotebookMl.Notebooks", "NotebookMl.Notebooks"), ("src/NotebookMl.Jupyter.Wire", "NotebookMl.Jupyter.Wire"), ("src/NotebookMl.Jupyter", "NotebookMl.Jupyter"),
        ("src/NotebookMl.Kernel", "NotebookMl.Kernel"), ("src/NotebookMl.Runner", "NotebookMl.Runner"), ("src/NotebookMl.Serving", "NotebookMl.Serving"),
        ("src/NotebookMl.Cli", "notebookml"), ("extensions/NotebookMl.Extensions.Ml", "NotebookMl.Extensions.Ml"), ("src/NotebookMl.Verbs", "NotebookMl.Verbs"),
    ];

    // Cycles that predate this check, to be removed: none may be added. The kernel's display helpers (the globals a cell sees)
    // and its execution (which creates those globals for each submission) still use each other.
    private static readonly HashSet<string> s_knownCycles = ["NotebookMl.Kernel.Display <-> NotebookMl.Kernel.Execution"];

    public static TheoryData<string> Projects => new(s_projects.Select(p => p.Folder));

    [Theory]
    [MemberData(nameof(Projects))]
    [InlineData("extensions/NotebookMl.Interactive")]
    public void Every_namespace_is_its_folder(string project)
    {
        var root = Path.GetFileName(project);
        var wrong = SourceFiles(project)
            .Select(file => (File: Path.GetRelativePath(RepoPaths.Root, file), Declared: DeclaredNamespace(file), Expected: ExpectedNamespace(project, root, file)))
            // The entry point's top-level statements have no namespace.
            .Where(f => f.Declared != f.Expected && !(f.Declared is null && Path.GetFileName(f.File) == "Program.cs"))
            .Select(f => $"{f.File}: namespace {f.Declared ?? "(none)"}, folder {f.Expected}")
            .ToArray();
        Assert.True(wrong.Length == 0, string.Join("\n", wrong));
    }

    /// <summary>
    /// A folder's subfolders are pieces of its feature: they may use their parent's types (C# shows them a parent namespace's
    /// types) and the parent may compose them. Between folders that are not nested, dependencies point one way.
    /// </summary>
    [Theory]
    [MemberData(nameof(Projects))]
    public void No_folder_uses_a_folder_that_uses_it_back_in_the_source(string project)
    {
        var uses = FolderUses(project).Where(u => !Nested(u.Key.From, u.Key.To)).ToDictionary();
        var cycles = StronglyConnected(uses).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal))).ToArray();
        var added = cycles.Where(c => !s_knownCycles.Contains(c)).ToArray();
        var detail = added.Select(c => c + "\n  " + string.Join("\n  ", Witnesses(uses, c.Split(" <-> ").ToHashSet())));
        Assert.True(added.Length == 0, "folders that use each other:\n" + string.Join("\n", detail));
    }

    [Fact]
    public void The_scan_sees_references_that_IL_does_not_show()
    {
        // A constant is copied into its user, and nameof leaves a string: IL shows neither, the source shows both.
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText("namespace P.A; public static class X { public const int C = 1; public static string N => nameof(P.B.Y.M); }", path: "/p/A/X.cs"),
            CSharpSyntaxTree.ParseText("namespace P.B; public static class Y { public static void M() { } public const int D = P.A.X.C + 1; }", path: "/p/B/Y.cs"),
        };
        var compilation = CSharpCompilation.Create("P", trees, [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var cycles = StronglyConnected(FolderUses(compilation)).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal)));

        Assert.Equal(["P.A <-> P.B"], cycles);
    }

    private static bool Nested(string a, string b) => a.StartsWith(b + ".", StringComparison.Ordinal) || b.StartsWith(a + ".", StringComparison.Ordinal);

    private static string ExpectedNamespace(string project, string root, string file)
    {
        var relative = Path.GetRelativePath(Path.Combine(RepoPaths.Root, project), Path.GetDirectoryName(file)!);
        var rootNamespace = root == "NotebookMl.Cli" ? "NotebookMl.Cli" : root;
        return relative == "." ? rootNamespace : rootNamespace + "." + relative.Replace(Path.DirectorySeparatorChar, '.');
    }

    private static string? DeclaredNamespace(string file) =>
        CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();

    private static IEnumerable<string> SourceFiles(string project) =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>(from folder, to folder) → where: every reference between two folders of the project, with the first place it was seen.</summary>
    private static Dictionary<(string From, string To), string> FolderUses(string project) => FolderUses(Compile(project));

    private static Dictionary<(string From, string To), string> FolderUses(CSharpCompilation compilation)
    {
        var uses = new Dictionary<(string, string), string>();
        foreach (var tree in compilation.SyntaxTrees.Where(t => !t.FilePath.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var from = name.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
                var info = model.GetSymbolInfo(name);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (from is null || symbol is null or INamespaceSymbol || !SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, compilation.Assembly))
                {
                    continue;
                }

                var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
                while (type?.ContainingType is not null)
                {
                    type = type.ContainingType;
                }

                var to = (type?.ContainingNamespace ?? symbol.ContainingNamespace)?.ToDisplayString();
                if (to is not null && to != from && !uses.ContainsKey((from, to)))
                {
                    uses[(from, to)] = $"{Path.GetFileName(tree.FilePath)}:{name.GetLocation().GetLineSpan().StartLinePosition.Line + 1} uses {symbol.ToDisplayString()}";
                }
            }
        }

        return uses;
    }

    private static CSharpCompilation Compile(string project)
    {
        var assembly = s_projects.Single(p => p.Folder == project).Assembly;
        var folder = Path.GetDirectoryName(RepoPaths.CliExecutable)!;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var aspNet = Directory.GetFiles(AspNetCoreFolder(), "*.dll");
        var references = Directory.GetFiles(folder, "*.dll").Where(d => Path.GetFileNameWithoutExtension(d) != assembly)
            .Concat(platform).Concat(aspNet)
            .GroupBy(Path.GetFileName).Select(g => g.First())
            .Where(IsManaged)
            .Select(d => MetadataReference.CreateFromFile(d));
        // The generated sources (implicit global usings, gRPC stubs) come from the build's obj folder.
        var generated = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, project, "obj", "Release", "net10.0"), "*.cs", SearchOption.AllDirectories);
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        var trees = SourceFiles(project).Concat(generated).Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f));
        return CSharpCompilation.Create(assembly, trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            _ = System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string AspNetCoreFolder()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var shared = Path.Combine(runtime, "..", "..", "Microsoft.AspNetCore.App");
        var version = Path.GetFileName(runtime);
        return Directory.Exists(Path.Combine(shared, version)) ? Path.Combine(shared, version) : Directory.GetDirectories(shared).Order(StringComparer.Ordinal).Last();
    }

    private static IEnumerable<string> Witnesses(Dictionary<(string From, string To), string> uses, HashSet<string> cycle) =>
        uses.Where(u => cycle.Contains(u.Key.From) && cycle.Contains(u.Key.To)).Select(u => $"{u.Key.From} -> {u.Key.To}: {u.Value}").Order(StringComparer.Ordinal);

    // Tarjan's strongly connected components of the folder graph.
    private static List<List<string>> StronglyConnected(Dictionary<(string From, string To), string> uses)
    {
        var edges = uses.Keys.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToArray());
        var nodes = uses.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order(StringComparer.Ordinal).ToArray();
        var (index, low, onStack, stack, result) = (new Dictionary<string, int>(), new Dictionary<string, int>(), new HashSet<string>(), new Stack<string>(), new List<List<string>>());
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges.GetValueOrDefault(node, []))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                result.Add(component);
            }
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return result;
    }
}
