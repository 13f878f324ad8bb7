using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using NotebookMl.Kernel.Display;

namespace NotebookMl.Kernel.Execution;

/// <summary>
/// Compiles and runs C# submissions on Roslyn scripting, each continuing from the previous state.
/// User code runs on its own thread so that an interrupt can stop it cooperatively and, when it
/// does not stop within <see cref="InterruptGrace"/>, abandon it and keep the kernel responsive.
/// </summary>
internal sealed class ScriptExecutor
{
    /// <summary>How long an interrupted cell gets to stop before it is abandoned.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(3);

    private readonly TimeProvider _timeProvider;
    private readonly Task<ScriptState<object>> _initialState;
    private ScriptState<object>? _state;
    private bool _optionsChanged;
    private CellThread _cellThread = CellThread.Start();

    public ScriptExecutor(KernelGlobals globals, ScriptOptions options, TimeProvider timeProvider)
    {
        Options = options;
        _timeProvider = timeProvider;
        // Compiling an empty submission loads and JITs Roslyn before the first cell arrives.
        _initialState = Task.Run(() => CSharpScript.RunAsync<object>("", options, globals));
    }

    public static CSharpParseOptions ParseOptions { get; } =
        new(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Script);

    public ScriptOptions Options { get; private set; }

    /// <summary>The compilation of the last submission that ran, with every earlier one chained to it.</summary>
    public Compilation? LastCompilation => _state?.Script.GetCompilation();

    /// <summary>Variables declared so far; a redeclared name shows its latest declaration.</summary>
    public IReadOnlyList<ScriptVariable> Variables =>
        _state is null ? [] : _state.Variables.GroupBy(v => v.Name).Select(g => g.Last()).ToArray();

    public void AddReferences(IEnumerable<MetadataReference> references)
    {
        Options = Options.AddReferences(references);
        _optionsChanged = true;
    }

    public Task WarmUpAsync() => _initialState;

    public async Task<ExecutionOutcome> RunAsync(string code, SubmissionContext context)
    {
        _state ??= await _initialState;
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions);
        // Passing options re-binds every reference (megabytes of symbols per cell), so they are
        // passed only when a #r changed them; otherwise the submission inherits the previous ones.
        var rewritten = InterruptCheckRewriter.Rewrite(tree);
        var script = _optionsChanged ? _state.Script.ContinueWith(rewritten, Options) : _state.Script.ContinueWith(rewritten);
        var run = RunOnCellThread(script, _state, context);
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

        ScriptState<object> state;
        try
        {
            // Compiling happens here, once: a separate Compile() first would bind every method twice.
            state = await run;
        }
        catch (CompilationErrorException e)
        {
            // Report against the code as the user wrote it, not the rewritten one.
            var original = _state.Script.ContinueWith(code, Options).Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            return CompilationFailed(original.Length > 0 ? original : e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray());
        }

        _state = state;
        _optionsChanged = false;
        if (state.Exception is { } exception)
        {
            return RuntimeFailed(exception, context.IsInterrupted, new CellLineMap(name => FindCompilation(state.Script, name)));
        }

        // A null result needs the compiler's word on whether there was a value (null) or none (a void call).
        var hasValue = TrailingExpression.EndsWithExpression(tree)
            && (state.ReturnValue is not null || TrailingExpression.HasValue(script.GetCompilation()));
        return ExecutionOutcome.Succeeded(hasValue, state.ReturnValue);
    }

    private Task<ScriptState<object>> RunOnCellThread(Script<object> script, ScriptState<object> previous, SubmissionContext context) =>
        _cellThread.Run(() =>
        {
            SubmissionContext.Current = context;
            return script.RunFromAsync(previous, _ => true).GetAwaiter().GetResult();
        });

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

    private static Compilation? FindCompilation(Script? script, string assemblyName)
    {
        for (; script is not null; script = script.Previous)
        {
            var compilation = script.GetCompilation();
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
