using System.Text.Json.Nodes;
using NotebookMl.Core.Workspaces;
using NotebookMl.Notebooks;
using NotebookMl.Runner.Kernels;
using NotebookMl.Runner.Parameters;

namespace NotebookMl.Runner;

/// <summary>
/// Runs a notebook headless, papermill-style: parameters injected, every code cell executed in a
/// kernel in a child process driven over the Jupyter protocol (so a kernel that dies or hangs is
/// detected, never hangs the runner), outputs and timings saved after every cell.
/// </summary>
public sealed class NotebookRunner(TimeProvider timeProvider)
{
    private static readonly TimeSpan s_startupTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="options"/>' notebook; bad input throws <see cref="RunnerInputException"/> before anything runs.</summary>
    public async Task<RunResult> RunAsync(RunOptions options, IRunObserver observer, CancellationToken cancellationToken)
    {
        options.Validate();
        var notebook = Read(options.NotebookPath);
        var outputPath = OutputPathFor(options);
        var kernel = KernelSelection.Choose(notebook, options);
        KernelSelection.CheckCellLanguages(notebook, kernel);

        // Jupyter's server tells a kernel its notebook this way; experiment tracking records it.
        // Nobody types in a headless run: the kernel need not prepare completions and hover.
        var env = new Dictionary<string, string>(kernel.Env) { ["JPY_SESSION_NAME"] = Path.GetFullPath(options.NotebookPath), ["NOTEBOOKML_LANGUAGE_SERVICES"] = "on-demand" };
        foreach (var (key, value) in options.KernelEnvironment)
        {
            env[key] = value;
        }

        // The kernel uses the workspace this command resolved (from its own folder), wherever the notebook lies.
        if (!env.ContainsKey(WorkspaceLocation.HomeVariable)
            && WorkspaceLocation.Discover(Environment.CurrentDirectory, Environment.GetEnvironmentVariable(WorkspaceLocation.HomeVariable)) is { } workspace)
        {
            env[WorkspaceLocation.HomeVariable] = workspace.StateFolder;
        }

        kernel = kernel with { Env = env };
        notebook = InjectParameters(notebook, kernel, options);
        var workingDirectory = options.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(options.NotebookPath))!;

        var output = new OutputNotebook(notebook, outputPath, options.NotebookPath);
        var started = timeProvider.GetUtcNow();
        output.Started(started);
        output.Save();
        var result = await ExecuteAsync(output, kernel, workingDirectory, options, observer, started, cancellationToken);
        output.Finished(timeProvider.GetUtcNow(), timeProvider.GetUtcNow() - started);
        output.Save();
        return result with { OutputPath = outputPath };
    }

    /// <summary>The default output path: beside the input, <c>NAME.out.ipynb</c>.</summary>
    public static string OutputPathFor(RunOptions options)
    {
        options.Validate();
        return options.OutputPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.NotebookPath))!, Path.GetFileNameWithoutExtension(options.NotebookPath) + ".out.ipynb");
    }

    private static NotebookDocument Read(string path)
    {
        try
        {
            return NotebookFile.Read(path);
        }
        catch (NotebookFormatException e)
        {
            throw new RunnerInputException(e.Message);
        }
    }

    private static NotebookDocument InjectParameters(NotebookDocument notebook, KernelSpec kernel, RunOptions options)
    {
        if (options.Parameters.Count == 0 && options.ParametersFile is null)
        {
            return notebook;
        }

        var language = KernelSelection.LanguageOf(kernel)
            ?? throw new RunnerInputException($"kernel '{kernel.Name}' runs {kernel.Language}; parameters can be written in C# and Python only.");
        try
        {
            var fromFile = options.ParametersFile is { } file ? ParameterFile.Read(file) : null;
            var values = ParameterInjector.Resolve(ParameterInjector.Declared(notebook, language), fromFile, options.Parameters, options.AllowExtraParameters);
            return ParameterInjector.Inject(notebook, language, values);
        }
        catch (ParameterException e)
        {
            throw new RunnerInputException(e.Message, e.Remedy);
        }
    }

    private async Task<RunResult> ExecuteAsync(
        OutputNotebook output, KernelSpec kernelSpec, string workingDirectory, RunOptions options, IRunObserver observer, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var codeCells = output.Cells.Select((c, i) => (Cell: c, Index: i)).Where(c => c.Cell.Kind == CellKind.Code && !string.IsNullOrWhiteSpace(c.Cell.Source)).Select(c => c.Index).ToArray();
        KernelClient kernel;
        try
        {
            kernel = await KernelClient.StartAsync(kernelSpec, workingDirectory, timeProvider, s_startupTimeout, cancellationToken);
        }
        catch (KernelDiedException e)
        {
            return new RunResult(RunStatus.KernelDied, "", 0, null, $"the {kernelSpec.Name} kernel died while starting: {e.Message}");
        }
        catch (TimeoutException)
        {
            return new RunResult(RunStatus.KernelDied, "", 0, null, $"the {kernelSpec.Name} kernel did not answer within {s_startupTimeout.TotalSeconds:0} s of starting; it was stopped.");
        }

        await using (kernel)
        {
            for (var position = 0; position < codeCells.Length; position++)
            {
                var index = codeCells[position];
                var cell = output.Cells[index];
                var cellStart = timeProvider.GetUtcNow();
                observer.CellStarted(position + 1, codeCells.Length, FirstLine(cell.Source));
                output.CellStarted(index, cellStart);
                var outcome = await RunCellAsync(kernel, cell, options, observer, started, cancellationToken);
                var cellEnd = timeProvider.GetUtcNow();
                output.CellFinished(index, outcome.Execution, outcome.Outputs, outcome.Status, cellStart, cellEnd);
                observer.CellFinished(position + 1, codeCells.Length, outcome.Execution, cellEnd - cellStart);
                var stops = outcome.RunStatus is not RunStatus.Succeeded and not RunStatus.CellFailed
                    || (outcome.RunStatus == RunStatus.CellFailed && !options.AllowErrors && !cell.Tags.Contains("raises-exception"));
                if (stops)
                {
                    var message = $"cell {index + 1} ({FirstLine(cell.Source)}): {outcome.Message}";
                    output.Failed(index, message);
                    output.Save();
                    return new RunResult(outcome.RunStatus, "", position + 1, index + 1, message);
                }

                output.Save();
            }
        }

        return new RunResult(RunStatus.Succeeded, "", codeCells.Length, null, null);
    }

    private async Task<CellOutcome> RunCellAsync(KernelClient kernel, NotebookCell cell, RunOptions options, IRunObserver observer, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var timeout = Remaining(options, started);
        try
        {
            var execution = await kernel.ExecuteAsync(cell.Source, observer.CellOutput, timeout, cancellationToken);
            return execution.Status == "ok"
                ? new CellOutcome(execution, execution.Outputs, "ok", RunStatus.Succeeded, null)
                : new CellOutcome(execution, execution.Outputs, "error", RunStatus.CellFailed, $"{execution.ErrorName}: {execution.ErrorValue}");
        }
        catch (CellTimeoutException e)
        {
            // The run's own limit ran out, or the cell's.
            var message = options.Timeout is { } limit && timeout != options.CellTimeout
                ? $"the run did not finish within its time limit of {FormatSeconds(limit)}; this cell was interrupted"
                : $"the cell did not finish within {FormatSeconds(timeout ?? e.Elapsed)} and was interrupted";
            return Reported(Failure(message, "CellTimeoutError", "timed out", RunStatus.TimedOut, partial: e.Outputs), observer);
        }
        catch (KernelDiedException e)
        {
            return Reported(Failure(e.Message, "KernelDied", "kernel died", RunStatus.KernelDied, e.KernelLog), observer);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            return Reported(Failure("the run was interrupted", "RunInterrupted", "interrupted", RunStatus.Interrupted, partial: (e as CellCancelledException)?.Outputs), observer);
        }
    }

    /// <summary>
    /// The runner's own error output (the last one) goes to the observer too (<c>--log-output</c>, a
    /// scheduled run's log), kernel log included; what the cell showed before it reached the observer as it came.
    /// </summary>
    private static CellOutcome Reported(CellOutcome outcome, IRunObserver observer)
    {
        observer.CellOutput(outcome.Outputs[^1]);
        return outcome;
    }

    /// <summary>A cell that did not finish: the error, after whatever it showed (<paramref name="partial"/>).</summary>
    private static CellOutcome Failure(string message, string errorName, string status, RunStatus runStatus, string? log = null, IReadOnlyList<JsonObject>? partial = null)
    {
        var error = new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = errorName,
            ["evalue"] = message,
            ["traceback"] = new JsonArray(log is { Length: > 0 } ? [JsonValue.Create($"{errorName}: {message}"), JsonValue.Create("Kernel log (last lines):"), JsonValue.Create(log)] : [JsonValue.Create($"{errorName}: {message}")]),
        };
        JsonObject[] outputs = [.. partial ?? [], error];
        var execution = new CellExecution("error", null, outputs, errorName, message, []);
        return new CellOutcome(execution, outputs, status, runStatus, message);
    }

    private TimeSpan? Remaining(RunOptions options, DateTimeOffset started)
    {
        var total = options.Timeout is { } limit ? limit - (timeProvider.GetUtcNow() - started) : (TimeSpan?)null;
        var remaining = (options.CellTimeout, total) switch
        {
            ({ } cell, { } run) => cell < run ? cell : run,
            ({ } cell, null) => cell,
            (null, { } run) => run,
            _ => (TimeSpan?)null,
        };
        return remaining is { } r && r < TimeSpan.Zero ? TimeSpan.Zero : remaining;
    }

    private static string FirstLine(string source)
    {
        var line = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length > 60 ? line[..59] + "…" : line;
    }

    private static string FormatSeconds(TimeSpan span) => $"{span.TotalSeconds:0.#} s";

    private sealed record CellOutcome(CellExecution Execution, IReadOnlyList<JsonObject> Outputs, string Status, RunStatus RunStatus, string? Message);
}
