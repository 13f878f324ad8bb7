using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Display;
using NotebookMl.Kernel.Events;
using NotebookMl.Kernel.Execution;
using NotebookMl.Kernel.Extensions;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Kernel.LanguageServices;
using NotebookMl.Kernel.Magics;
using NotebookMl.Kernel.Magics.Builtins;
using NotebookMl.Kernel.Packages;
using NotebookMl.Verbs;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Kernel;

/// <summary>
/// The C# kernel: commands in, events out. Runs cells as Roslyn script submissions with state across
/// cells, magic commands, <c>#r</c> references and NuGet packages, and answers completion, hover
/// and completeness requests. It knows no transport: hosts (Jupyter, the runner) translate.
/// </summary>
public sealed class CSharpKernel : IVariableSource
{
    private readonly ScriptExecutor _executor;
    private readonly MagicDispatcher _magics = new();
    private readonly PackageManager _packages;
    private readonly SubmissionWorkspace _workspace;
    private readonly SemaphoreSlim _oneCommandAtATime = new(1, 1);
    private int _displayCounter;
    private int _languageServicesPrepared;
    private volatile SubmissionContext? _active;
    private volatile SubmissionContext? _last;
    private readonly ITimer _flushTimer;

    /// <summary>Builds a kernel; Roslyn warms up in the background at once.</summary>
    public CSharpKernel(KernelOptions? options = null)
    {
        Options = options ?? new KernelOptions();
        Options.Validate();
        ConsoleRouter.Install();
        KernelFormatters.RegisterDefaults();
        Display.CellDisplays.SubscribeToFormatter();
        var scriptOptions = DefaultScriptOptions();
        _executor = new ScriptExecutor(new KernelGlobals(this), scriptOptions, TimeProvider);
        _packages = new PackageManager(Options, scriptOptions.MetadataReferences.OfType<Microsoft.CodeAnalysis.PortableExecutableReference>().Select(r => Path.GetFileNameWithoutExtension(r.FilePath!)));
        _workspace = new SubmissionWorkspace(scriptOptions);
        // Console output of a running cell reaches the front-end at least every 50 ms.
        _flushTimer = TimeProvider.CreateTimer(_ => _active?.FlushStreams(), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        foreach (var verb in new IVerb[] { new LsMagicVerb(this), new TimeVerb(this), new WhoVerb(this), new WhosVerb(this), new AboutVerb() })
        {
            _magics.Add(verb);
        }

    }

    /// <summary>What cells compile with: the default references and usings, latest C#, no PDBs.</summary>
    internal static ScriptOptions DefaultScriptOptions() =>
        ScriptOptions.Default
            .WithReferences(DefaultReferences.Create())
            .WithImports(DefaultReferences.Usings)
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest)
            .WithOptimizationLevel(Microsoft.CodeAnalysis.OptimizationLevel.Release)
            .WithEmitDebugInformation(false) // line numbers come from CellLineMap, only when a cell throws
            .WithFilePath("cell")
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithAllowUnsafe(true)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(Environment.CurrentDirectory));

    /// <summary>The settings the kernel was built with.</summary>
    public KernelOptions Options { get; }

    /// <summary>The kernel's clock.</summary>
    public TimeProvider TimeProvider => Options.TimeProvider;

    /// <summary>The magic commands available, sorted by name.</summary>
    public IReadOnlyList<IVerb> MagicCommands => _magics.Verbs;

    /// <summary>Variables declared by cells so far.</summary>
    public IReadOnlyList<KernelVariable> Variables =>
        _executor.Variables.Select(v => new KernelVariable(v.Name, v.Type, v.Value)).ToArray();

    internal SubmissionContext? ActiveContext => _active;

    /// <summary>Completes when Roslyn is loaded and the first cell will compile quickly.</summary>
    public Task WarmUpAsync() => _executor.WarmUpAsync();

    /// <summary>
    /// Makes completions and hover ready in the background (once; nothing when
    /// <see cref="KernelOptions.PrepareLanguageServices"/> is off). Interactive hosts call it as they
    /// start; headless runs never need it.
    /// </summary>
    public void PrepareLanguageServices()
    {
        if (Options.PrepareLanguageServices && Interlocked.Exchange(ref _languageServicesPrepared, 1) == 0)
        {
            _ = Task.Run(() => _workspace.PrepareAsync(CancellationToken.None));
        }
    }

    /// <summary>Adds (or replaces) a magic command <c>#!name</c>.</summary>
    public void AddMagicCommand(IVerb verb) => _magics.Add(verb);

    /// <summary>The cell whose code is running on this logical thread (<see cref="SubmitCode.Cell"/>), if any.</summary>
    public static string? CurrentCell => SubmissionContext.Current?.Cell;

    /// <summary>Lets cells use <paramref name="assemblies"/>' types (an extension's API), in completions too.</summary>
    public void AddReferences(params System.Reflection.Assembly[] assemblies)
    {
        var references = assemblies.Select(a => Execution.DefaultReferences.FromFile(a.Location)).ToArray();
        _executor.AddReferences(references);
        _workspace.AddReferences(references);
    }

    /// <summary>Loads an extension: its magic commands and formatters become available.</summary>
    public Task LoadExtensionAsync(IKernelExtension extension, CancellationToken cancellationToken = default) =>
        extension.OnLoadAsync(this, cancellationToken);

    /// <summary>The value of variable <paramref name="name"/> when it exists and is a <typeparamref name="T"/>.</summary>
    public bool TryGetVariable<T>(string name, out T value)
    {
        var variable = _executor.Variables.FirstOrDefault(v => v.Name == name);
        if (variable?.Value is T typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// Runs <paramref name="command"/>. Events go to <paramref name="observer"/> as they happen (from
    /// any thread, one at a time); the last is <see cref="CommandSucceeded"/> or <see cref="CommandFailed"/>,
    /// which is also returned. Commands run one at a time, in order.
    /// </summary>
    public async Task<KernelEvent> SendAsync(KernelCommand command, Action<KernelEvent> observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(observer);
        await _oneCommandAtATime.WaitAsync(cancellationToken);
        var context = new SubmissionContext(this, observer, (command as SubmitCode)?.InputProvider) { Cell = (command as SubmitCode)?.Cell };
        _active = context;
        _last = context;
        // Verbs a cell runs (#!train) and the code it runs find the cell here (experiment tracking records it).
        using var cell = command is SubmitCode submit ? NotebookMl.Verbs.CellActivity.Start(submit.Cell) : null;
        KernelEvent final;
        try
        {
            final = await HandleAsync(command, context, cancellationToken) ?? new CommandSucceeded();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            final = new CommandFailed(e.GetType().FullName ?? "Exception", e.Message, StackTraceFormatter.Format(e));
        }
        finally
        {
            context.Complete(settled: !context.Abandoned);
            _active = null;
            _oneCommandAtATime.Release();
        }

        context.Publish(final);
        return final;
    }

    /// <summary>Interrupts the running cell: its loops stop at once, a blocked call is abandoned after a grace period.</summary>
    public void Interrupt() => _active?.RequestInterrupt();

    internal string NewDisplayId() => $"notebookml-{Environment.ProcessId}-{Interlocked.Increment(ref _displayCounter)}";

    internal void UpdateDisplay(string displayId, object? value, IReadOnlyList<string> mimeTypes)
    {
        var target = SubmissionContext.Current?.Target ?? _active ?? _last
            ?? throw new InvalidOperationException("No cell has run yet, so there is no display to update.");
        target.Publish(new DisplayedValueUpdated(ValueFormatter.Format(value, mimeTypes), displayId));
    }

    private async Task<KernelEvent?> HandleAsync(KernelCommand command, SubmissionContext context, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case SubmitCode submit:
                return await RunSegmentsAsync(CellParser.Parse(submit.Code), 0, context, cancellationToken);
            case RequestCompletions completions:
                await _executor.WarmUpAsync();
                context.Publish(await _workspace.GetCompletionsAsync(CellParser.BlankMagicLines(completions.Code), completions.Position, cancellationToken));
                return null;
            case RequestHoverText hover:
                await _executor.WarmUpAsync();
                context.Publish(await _workspace.GetHoverTextAsync(CellParser.BlankMagicLines(hover.Code), hover.Position, cancellationToken));
                return null;
            case RequestCompleteness completeness:
                context.Publish(CompletenessChecker.Check(completeness.Code));
                return null;
            default:
                return new CommandFailed("UnsupportedCommand", $"The kernel does not handle {command.GetType().Name}.", []);
        }
    }

    private async Task<CommandFailed?> RunSegmentsAsync(IReadOnlyList<CellSegment> segments, int start, SubmissionContext context, CancellationToken cancellationToken)
    {
        for (var i = start; i < segments.Count; i++)
        {
            CommandFailed? failure;
            if (segments[i] is MagicSegment { Magic: var magic })
            {
                CommandFailed? restFailure = null;
                var next = i + 1;
                var verbContext = new KernelVerbContext(this, context, async () =>
                {
                    restFailure = await RunSegmentsAsync(segments, next, context, cancellationToken);
                    return restFailure is null;
                });
                using var help = new StringWriter();
                failure = await _magics.RunAsync(magic, verbContext, help, cancellationToken);
                if (help.GetStringBuilder().Length > 0)
                {
                    context.Write(StandardStream.Output, MagicDispatcher.AsMagicHelp(help.ToString(), magic.Name));
                }

                if (failure is null && verbContext.RestOfCellTaken)
                {
                    return restFailure;
                }
            }
            else if (segments[i] is ContentSegment content)
            {
                context.Display(new Display.RawContent(content.MimeType, content.Content), []);
                failure = null;
            }
            else
            {
                failure = await RunCodeAsync(((CodeSegment)segments[i]).Code, context, cancellationToken);
            }

            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    private async Task<CommandFailed?> RunCodeAsync(string code, SubmissionContext context, CancellationToken cancellationToken)
    {
        var directives = PackageDirectives.Extract(code);
        if (directives.HasPackages)
        {
            var resolution = await _packages.ResolveAsync(directives, context, cancellationToken);
            if (resolution.Failure is { } packageFailure)
            {
                return packageFailure;
            }

            _executor.AddReferences(resolution.NewReferences);
            _workspace.AddReferences(resolution.NewReferences);
            foreach (var extensionAssembly in resolution.ExtensionAssemblies)
            {
                foreach (var extension in ExtensionLoader.FromAssemblyFile(extensionAssembly))
                {
                    await LoadExtensionAsync(extension, cancellationToken);
                }
            }

            if (string.IsNullOrWhiteSpace(directives.Code))
            {
                return null;
            }
        }

        var outcome = await _executor.RunAsync(directives.Code, context);
        if (outcome.Abandoned)
        {
            context.Abandoned = true;
        }

        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        _workspace.AddSubmission(directives.Code);
        if (outcome.HasValue)
        {
            context.Publish(new ReturnValueProduced(ValueFormatter.Format(outcome.Value)));
        }

        return null;
    }
}
