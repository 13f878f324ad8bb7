using NotebookMl.Core.Options;
using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner;

/// <summary>What <c>notebookml run</c> was asked to do.</summary>
public sealed record RunOptions
{
    /// <summary>The notebook to run (.ipynb or .dib).</summary>
    public required string NotebookPath { get; init; }

    /// <summary>Where the executed notebook goes; default: beside the input, <c>NAME.out.ipynb</c>.</summary>
    public string? OutputPath { get; init; }

    /// <summary><c>-p NAME VALUE</c> pairs, in order (a later one wins).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary><c>-f FILE</c>: parameters from a YAML or JSON file (overridden by <see cref="Parameters"/>).</summary>
    public string? ParametersFile { get; init; }

    /// <summary>Inject parameters the notebook does not declare.</summary>
    public bool AllowExtraParameters { get; init; }

    /// <summary>The Jupyter kernel to run; default: the notebook's kernelspec, then <c>notebookml-csharp</c>.</summary>
    public string? KernelName { get; init; }

    /// <summary>The kernel's working directory; default: the notebook's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The longest one cell may run.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>The longest the whole run may take.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Run every cell even after one fails.</summary>
    public bool AllowErrors { get; init; }

    /// <summary>How to start the NotebookMl kernel itself (the running executable), used for <c>notebookml-csharp</c>.</summary>
    public KernelSpec? BuiltInKernel { get; init; }

    /// <summary>Folders to look for kernelspecs in before Jupyter's usual ones (like JUPYTER_PATH).</summary>
    public IReadOnlyList<string>? JupyterPaths { get; init; }

    /// <summary>More environment variables for the kernel (a scheduled run names its pipeline and scheduled time).</summary>
    public IReadOnlyDictionary<string, string> KernelEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Checks the options before anything is read or started; an unusable one throws <see cref="InvalidOptionException"/>
    /// naming its property. Returns these options.
    /// </summary>
    public RunOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(NotebookPath))
        {
            throw new InvalidOptionException(nameof(NotebookPath), "expected the path of a notebook (.ipynb or .dib).");
        }

        if (OutputPath is { } output && !output.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOptionException(nameof(OutputPath), $"{output}: the executed notebook is written as .ipynb (a .dib cannot hold outputs).");
        }

        if (ParametersFile is { } file && !File.Exists(file))
        {
            throw new InvalidOptionException(nameof(ParametersFile), $"{Path.GetFullPath(file)}: file not found.");
        }

        if (Parameters.FirstOrDefault(p => string.IsNullOrWhiteSpace(p.Key)) is { Value: var value } && value is not null)
        {
            throw new InvalidOptionException(nameof(Parameters), $"a parameter has no name (its value is '{value}').");
        }

        if (WorkingDirectory is { } folder && !Directory.Exists(folder))
        {
            throw new InvalidOptionException(nameof(WorkingDirectory), $"{Path.GetFullPath(folder)}: folder not found.");
        }

        foreach (var (name, limit) in new[] { (nameof(CellTimeout), CellTimeout), (nameof(Timeout), Timeout) })
        {
            if (limit is { } span && span <= TimeSpan.Zero)
            {
                throw new InvalidOptionException(name, "expected a time above 0.");
            }
        }

        return this;
    }
}
