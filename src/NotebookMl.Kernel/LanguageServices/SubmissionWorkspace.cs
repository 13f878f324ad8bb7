using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.QuickInfo;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;
using NotebookMl.Kernel.Display;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Execution;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel.LanguageServices;

/// <summary>
/// Completions and hover documentation from Roslyn's Features layer. Every cell that ran becomes a
/// submission project referencing the previous one (as in Visual Studio's C# Interactive), so a
/// request sees the variables, methods and types of all earlier cells. Projects are only parsed
/// and bound when a request needs them.
/// </summary>
internal sealed class SubmissionWorkspace
{
    // Composing Roslyn's Features (MEF) costs about a second; only completions and hover need it, so
    // it is built by PrepareAsync once the kernel is warm, or on the first request (headless runs never pay for it).
    private readonly Lazy<AdhocWorkspace> _workspace = new(() => new AdhocWorkspace(MefHostServices.Create(MefHostServices.DefaultAssemblies)));
    private readonly CSharpCompilationOptions _compilationOptions;
    private readonly object _sync = new();
    private Solution? _solution;
    private ProjectId? _previous;
    private List<MetadataReference> _references;
    private readonly List<string> _pending = [];
    private int _count;

    public SubmissionWorkspace(ScriptOptions options)
    {
        _references = options.MetadataReferences.ToList();
        _compilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            usings: DefaultReferences.Usings,
            allowUnsafe: true,
            nullableContextOptions: NullableContextOptions.Disable);
    }

    public void AddReferences(IEnumerable<MetadataReference> references)
    {
        lock (_sync)
        {
            _references = [.. _references, .. references];
        }
    }

    /// <summary>Records a cell that ran, so later requests see its declarations. Cheap: projects are made when a request needs them.</summary>
    public void AddSubmission(string code)
    {
        lock (_sync)
        {
            _pending.Add(code);
        }
    }

    /// <summary>Composes the Features layer and answers a completion and a hover on a scratch cell, so that the first real ones are quick.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        const string code = "var prepared = new System.Collections.Generic.List<int>();\nprepared.Ad";
        Document document;
        lock (_sync)
        {
            document = AddProject(code, out _);
        }

        var completions = CompletionService.GetService(document);
        if (completions is not null)
        {
            await completions.GetCompletionsAsync(document, code.Length, cancellationToken: cancellationToken);
        }

        if (QuickInfoService.GetService(document) is { } quickInfo)
        {
            await quickInfo.GetQuickInfoAsync(document, code.Length - 1, cancellationToken);
        }
    }

    public async Task<CompletionsProduced> GetCompletionsAsync(string code, int position, CancellationToken cancellationToken)
    {
        var document = Scratch(code);
        position = Math.Clamp(position, 0, code.Length);
        var service = CompletionService.GetService(document);
        var list = service is null ? null : await service.GetCompletionsAsync(document, position, cancellationToken: cancellationToken);
        if (list is null)
        {
            return new CompletionsProduced([], position, position);
        }

        var start = list.Span.Start;
        var typed = code[start..position];
        var items = list.ItemsList
            .Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => i.FilterText.StartsWith(typed, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
            .Select(i => new Events.CompletionItem(i.DisplayText, i.DisplayText, i.Tags.FirstOrDefault() ?? "Text"))
            .DistinctBy(i => i.InsertText)
            .ToArray();
        return new CompletionsProduced(items, start, position);
    }

    public async Task<HoverTextProduced> GetHoverTextAsync(string code, int position, CancellationToken cancellationToken)
    {
        var document = Scratch(code);
        var service = QuickInfoService.GetService(document);
        if (service is null)
        {
            return new HoverTextProduced([]);
        }

        // Jupyter sends the cursor position, often just after the word: look there and one back.
        foreach (var at in new[] { position, position - 1 }.Where(p => p >= 0 && p <= code.Length).Distinct())
        {
            var info = await service.GetQuickInfoAsync(document, at, cancellationToken);
            if (info is { Sections.Length: > 0 })
            {
                var description = info.Sections.FirstOrDefault(s => s.Kind == QuickInfoSectionKinds.Description)?.Text ?? "";
                var documentation = string.Join("\n\n", info.Sections.Where(s => s.Kind != QuickInfoSectionKinds.Description).Select(s => s.Text));
                var plain = documentation.Length == 0 ? description : $"{description}\n\n{documentation}";
                var markdown = $"```csharp\n{description}\n```" + (documentation.Length == 0 ? "" : $"\n\n{documentation}");
                return new HoverTextProduced([new FormattedValue("text/plain", plain), new FormattedValue("text/markdown", markdown)]);
            }
        }

        return new HoverTextProduced([]);
    }

    private Document Scratch(string code)
    {
        lock (_sync)
        {
            foreach (var ran in _pending)
            {
                var document = AddProject(ran, out var solution);
                _solution = solution;
                _previous = document.Project.Id;
            }

            _pending.Clear();
            return AddProject(code, out _);
        }
    }

    private Document AddProject(string code, out Solution solution)
    {
        var name = $"Submission{++_count}";
        var projectId = ProjectId.CreateNewId(name);
        var project = ProjectInfo.Create(
            projectId,
            VersionStamp.Create(),
            name,
            name,
            LanguageNames.CSharp,
            compilationOptions: _compilationOptions,
            parseOptions: ScriptExecutor.ParseOptions,
            metadataReferences: _references,
            projectReferences: _previous is null ? [] : [new ProjectReference(_previous)],
            isSubmission: true,
            hostObjectType: typeof(KernelGlobals));
        var documentId = DocumentId.CreateNewId(projectId, name);
        var document = DocumentInfo.Create(
            documentId,
            name + ".csx",
            sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(code), VersionStamp.Create())));
        solution = (_solution ??= _workspace.Value.CurrentSolution).AddProject(project).AddDocument(document);
        return solution.GetDocument(documentId)!;
    }
}
