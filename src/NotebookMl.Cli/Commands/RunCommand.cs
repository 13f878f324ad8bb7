using System.CommandLine;
using NotebookMl.Cli.Rendering;
using NotebookMl.Core.Storage;
using NotebookMl.Core.Time;
using NotebookMl.Runner;
using NotebookMl.Runner.Kernels;
using Spectre.Console;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml run NOTEBOOK</c>: execute a notebook headless, papermill-style.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var notebook = new Argument<string>("notebook") { Description = "The notebook to run (.ipynb or .dib)." };
        var parameters = new Option<string[]>("--parameters", "-p")
        {
            Description = "A parameter: -p NAME VALUE (repeatable).",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.OneOrMore,
            HelpName = "NAME VALUE",
        };
        var file = new Option<string?>("--parameters-file", "-f") { Description = "Parameters from a YAML or JSON file (-p wins).", HelpName = "FILE" };
        var output = new Option<string?>("--output", "-o") { Description = "The executed notebook (default: NAME.out.ipynb beside the input).", HelpName = "OUTPUT" };
        var kernel = new Option<string?>("--kernel") { Description = "The Jupyter kernel (default: the notebook's kernelspec, then notebookml-csharp).", HelpName = "NAME" };
        var cwd = new Option<string?>("--cwd") { Description = "The kernel's working directory (default: the notebook's folder).", HelpName = "DIR" };
        var cellTimeout = new Option<double?>("--cell-timeout") { Description = "Seconds one cell may run.", HelpName = "S" };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds the whole run may take.", HelpName = "S" };
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Run every cell even after one fails." };
        var allowExtra = new Option<bool>("--allow-extra") { Description = "Inject parameters the notebook does not declare." };
        var logOutput = new Option<bool>("--log-output") { Description = "Stream cell output to the terminal as it comes." };
        var storeTimeout = new Option<string?>("--store-timeout") { Description = "How long the notebook's tracked runs wait for a shared store that went away before they fail and spool their points (30s, 10m; default NOTEBOOKML_STORE_TIMEOUT, else 5m).", HelpName = "DURATION" };
        var command = new Command("run", "Run a notebook headless: parameters in, executed notebook and exit code out.")
        {
            notebook, parameters, file, output, kernel, cwd, cellTimeout, timeout, allowErrors, allowExtra, logOutput, storeTimeout,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(parameters)?.Length ?? 0) % 2 != 0)
            {
                result.AddError("-p takes pairs: -p NAME VALUE.");
            }

            foreach (var seconds in new[] { result.GetValue(cellTimeout), result.GetValue(timeout) })
            {
                if (seconds is <= 0)
                {
                    result.AddError("--cell-timeout and --timeout take a number of seconds above 0.");
                }
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var pairs = parse.GetValue(parameters) ?? [];
            // The kernel's runs read the timeout as every process does, from the environment.
            var kernelEnvironment = parse.GetValue(storeTimeout) is { } wait
                && Durations.Parse(wait, "--store-timeout", positive: true) > TimeSpan.Zero
                ? new Dictionary<string, string> { [WorkspaceDatabase.StoreTimeoutVariable] = wait }
                : new Dictionary<string, string>();
            var options = new RunOptions
            {
                NotebookPath = parse.GetValue(notebook)!,
                OutputPath = parse.GetValue(output),
                Parameters = Enumerable.Range(0, pairs.Length / 2).Select(i => KeyValuePair.Create(pairs[2 * i], pairs[(2 * i) + 1])).ToArray(),
                ParametersFile = parse.GetValue(file),
                AllowExtraParameters = parse.GetValue(allowExtra),
                KernelName = parse.GetValue(kernel),
                WorkingDirectory = parse.GetValue(cwd),
                CellTimeout = parse.GetValue(cellTimeout) is { } c ? TimeSpan.FromSeconds(c) : null,
                Timeout = parse.GetValue(timeout) is { } t ? TimeSpan.FromSeconds(t) : null,
                AllowErrors = parse.GetValue(allowErrors),
                BuiltInKernel = BuiltInKernel(),
                KernelEnvironment = kernelEnvironment,
            };
            var console = Terminal.Create(Terminal.Out);
            var observer = new ConsoleRunObserver(console, parse.GetValue(logOutput));
            var result = await observer.ShowAsync(() => new NotebookRunner(TimeProvider.System).RunAsync(options, observer, cancellationToken));
            if (result.Status == RunStatus.Succeeded)
            {
                Terminal.Out.WriteLine($"Ran {result.CellsRun} cells; wrote {result.OutputPath}");
            }
            else
            {
                await Terminal.FailAsync($"{result.Status}: {result.Message}");
                await Terminal.FailAsync($"the executed notebook up to that cell is in {result.OutputPath}");
            }

            return result.ExitCode;
        });
        return command;
    }

    /// <summary>This executable as the notebookml-csharp kernel, so `run` needs no `kernel install`.</summary>
    public static KernelSpec BuiltInKernel()
    {
        var process = Environment.ProcessPath!;
        string[] start = Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(RunCommand).Assembly.Location]
            : [process];
        return new KernelSpec(
            "notebookml-csharp",
            "C# (NotebookMl)",
            "C#",
            [.. start, "kernel", "start", "--connection-file", "{connection_file}"],
            new Dictionary<string, string>(),
            "message",
            AppContext.BaseDirectory);
    }
}
