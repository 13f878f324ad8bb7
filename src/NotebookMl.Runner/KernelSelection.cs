using NotebookMl.Notebooks;
using NotebookMl.Runner.Kernels;
using NotebookMl.Runner.Parameters;

namespace NotebookMl.Runner;

/// <summary>Chooses the kernel for a notebook and the language its parameters are written in.</summary>
internal static class KernelSelection
{
    public const string DefaultKernel = "notebookml-csharp";

    // Kernelspec names that Polyglot Notebooks / .NET Interactive wrote into C# notebooks.
    private static readonly HashSet<string> s_csharpAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        DefaultKernel, ".net-csharp", "csharp", "c#", ".net-csharp-interactive",
    };

    public static KernelSpec Choose(NotebookDocument notebook, RunOptions options)
    {
        var name = options.KernelName ?? notebook.KernelName ?? DefaultKernel;
        if ((s_csharpAliases.Contains(name) && options.KernelName is null) || name == DefaultKernel)
        {
            if (options.BuiltInKernel is { } builtIn)
            {
                return builtIn;
            }

            name = DefaultKernel;
        }

        return KernelSpec.Find(name, options.JupyterPaths) ?? throw new RunnerInputException(
            $"kernel '{name}' is not installed; installed kernels: {string.Join(", ", KernelSpec.FindAll().Select(k => k.Name).DefaultIfEmpty("none"))}.", nameof(RunOptions.KernelName));
    }

    public static ParameterLanguage? LanguageOf(KernelSpec kernel) => kernel.Language.ToLowerInvariant() switch
    {
        "c#" or "csharp" => ParameterLanguage.CSharp,
        "python" or "python3" => ParameterLanguage.Python,
        _ => null,
    };

    /// <summary>Cells a C# kernel cannot run: Polyglot cells of another language (F#, PowerShell, …).</summary>
    public static void CheckCellLanguages(NotebookDocument notebook, KernelSpec kernel)
    {
        if (LanguageOf(kernel) != ParameterLanguage.CSharp)
        {
            return;
        }

        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (cell.Kind == CellKind.Code && cell.Language is { } language && !s_csharpAliases.Contains(language) && !string.IsNullOrWhiteSpace(cell.Source))
            {
                throw new RunnerInputException($"cell {i + 1} is written in '{language}'; the {kernel.Name} kernel runs C# only.");
            }
        }
    }
}
