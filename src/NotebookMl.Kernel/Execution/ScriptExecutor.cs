using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Scripting;
using NotebookMl.Kernel.Display;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Compiles and runs C# submissions (<see cref="SubmissionCompiler"/>), each continuing from the
/// previous state. User code runs on its own thread so that an interrupt can stop it cooperatively
/// and, when it does not stop within <see cref="InterruptGrace"/>, abandon it and keep the kernel responsive.
/// </summary>
internal sealed class ScriptExecutor
{
    /// <summary>How long an interrupted cell gets to stop before it is abandoned.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(3);

    private readonly TimeProvider _timeProvider;
    private readonly SubmissionCompiler _compiler;
    private readonly SubmissionStates _states;
    private readonly SubmissionLoadContext _loader = new();
    private Task _warmUp;
    private CellThread _cellThread = CellThread.Start();

    public ScriptExecutor(KernelGlobals globals, ScriptOptions options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _states = new SubmissionStates(globals);
        _compiler = new SubmissionCompiler(options);
        // A first submission binds the references and loads and JITs Roslyn before the first cell arrives.
        _warmUp = Task.Run(BindPendingReferences);
    }

    public static CSharpParseOptions ParseOptions { get; } =
        new(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Script);

    /// <summary>Variables declared so far; a redeclared name shows its latest declaration.</summary>
    public IReadOnlyList<SubmissionVariable> Variables =>
        _states.Variables.GroupBy(v => v.Name).Select(g => g.Last()).ToArray();

    /// <summary>Lets the next cells use <paramref name="references"/>; they are bound now, in the background, not by the next cell.</summary>
    public void AddReferences(IEnumerable<MetadataReference> references)
    {
        _compiler.AddReferences(references);
        _warmUp = _warmUp.ContinueWith(_ => BindPendingReferences(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>An empty submission: it binds the references added since the last one (all of them, the first time).</summary>
    private void BindPendingReferences() => Keep(Execute(CSharpSyntaxTree.ParseText("", ParseOptions)));

    public Task WarmUpAsync() => _warmUp;

    public async Task<ExecutionOutcome> RunAsync(string code, SubmissionContext context)
    {
        await _warmUp;
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions);
        var rewrittenCode = InterruptCheckRewriter.Rewrite(tree);
        var rewritten = rewrittenCode == code ? tree : CSharpSyntaxTree.ParseText(rewrittenCode, ParseOptions);
        var run = _cellThread.Run(() =>
        {
            SubmissionContext.Current = context;
            // The cell thread does not inherit the caller's execution context: the cell's activity starts here.
            using var cell = NotebookMl.Verbs.CellActivity.Start(context.Cell);
            return Execute(rewritten);
        });
        using var graceCancellation = new CancellationTokenSource();
        var finished = await Task.WhenAny(run, AbandonAfterInterruptAsync(context, graceCancellation.Token));
        graceCancellation.Cancel();
        if (finished != run)
        {
            // The abandoned code keeps its thread; later cells get a fresh one.
            _cellThread.Retire();
            _cellThread = CellThread.Start();
            return ExecutionOutcome.Failed(
                "KernelInterrupted",
                $"The cell was interrupted and did not stop within {InterruptGrace.TotalSeconds:0} s (it is blocked outside C# code, e.g. in a Sleep or a native call); it was abandoned and may still run in the background. Variables keep their values from before the cell.",
                []) with { Abandoned = true };
        }

        var result = await run;
        if (result.Errors.Count > 0)
        {
            // Report against the code as the user wrote it, not the rewritten one.
            var original = ReferenceEquals(rewritten, tree) ? [] : _compiler.Create(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            return CompilationFailed(original.Length > 0 ? original : result.Errors);
        }

        Keep(result);
        if (result.Exception is { } exception)
        {
            return RuntimeFailed(exception, context.IsInterrupted, new CellLineMap(FindCompilation));
        }

        // A null result needs the compiler's word on whether there was a value (null) or none (a void call).
        var hasValue = TrailingExpression.EndsWithExpression(tree)
            && (result.Value is not null || TrailingExpression.HasValue(result.Compilation));
        return ExecutionOutcome.Succeeded(hasValue, result.Value);
    }

    /// <summary>Compiles, loads and runs a submission, on the calling thread.</summary>
    private SubmissionRun Execute(SyntaxTree tree)
    {
        var compilation = _compiler.Create(tree);
        var (image, errors) = SubmissionCompiler.Emit(compilation);
        if (errors.Count > 0)
        {
            return new SubmissionRun(compilation, errors, Ran: false, null, null);
        }

        if (image is null || compilation.GetEntryPoint(CancellationToken.None) is not { } entryPoint)
        {
            // Nothing to run (only usings, or nothing at all); later cells still see its usings.
            return new SubmissionRun(compilation, [], Ran: false, null, null);
        }

        foreach (var file in SubmissionCompiler.NewFiles(compilation))
        {
            _loader.AddFile(file);
        }

        var assembly = _loader.LoadCell(image);
        try
        {
            return new SubmissionRun(compilation, [], Ran: true, _states.RunAsync(assembly, entryPoint).GetAwaiter().GetResult(), null);
        }
        catch (Exception exception)
        {
            return new SubmissionRun(compilation, [], Ran: true, null, exception);
        }
    }

    /// <summary>Makes a submission that ran (or threw) the one the next continues from.</summary>
    private void Keep(SubmissionRun run)
    {
        _compiler.Advance(run.Compilation);
        if (run.Ran)
        {
            _states.Keep();
        }
    }

    private async Task AbandonAfterInterruptAsync(SubmissionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.WhenInterrupted.WaitAsync(cancellationToken);
            await Task.Delay(InterruptGrace, _timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The cell finished first; nothing to abandon.
        }
    }

    private static ExecutionOutcome CompilationFailed(IReadOnlyList<Diagnostic> errors)
    {
        // In source order, as a person reads the cell; the error value names every one, as csc prints them.
        var lines = errors
            .OrderBy(e => e.Location.IsInSource ? e.Location.GetLineSpan().StartLinePosition : default)
            .Select(DiagnosticFormatter.Format)
            .ToArray();
        return ExecutionOutcome.Failed("CompilationError", string.Join("\n", lines), lines);
    }

    private Compilation? FindCompilation(string assemblyName)
    {
        for (var compilation = _compiler.Last; compilation is not null; compilation = compilation.ScriptCompilationInfo?.PreviousScriptCompilation)
        {
            if (compilation.AssemblyName == assemblyName)
            {
                return compilation;
            }
        }

        return null;
    }

    private static ExecutionOutcome RuntimeFailed(Exception exception, bool interrupted, CellLineMap lines)
    {
        if (exception is KernelInterruptedException || (interrupted && exception is OperationCanceledException))
        {
            return ExecutionOutcome.Failed("KernelInterrupted", "The cell was interrupted.", []);
        }

        var name = exception.GetType().FullName ?? exception.GetType().Name;
        return ExecutionOutcome.Failed(name, exception.Message, StackTraceFormatter.Format(exception, lines));
    }
}
