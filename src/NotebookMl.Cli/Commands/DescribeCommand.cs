using System.CommandLine;
using NotebookMl.Kernel.Formatting;
using NotebookMl.Verbs;
using NotebookMl.Notebooks;
using NotebookMl.Runner;
using NotebookMl.Runner.Parameters;
using NotebookMl.Verbs.Formatting;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml describe NOTEBOOK</c>: the parameters a notebook takes.</summary>
internal static class DescribeCommand
{
    public static Command Create(IVerbContext output)
    {
        var notebook = new Argument<string>("notebook") { Description = "The notebook (.ipynb or .dib)." };
        var command = new Command("describe", "List a notebook's parameters (the cell tagged 'parameters'): names, types and defaults.") { notebook };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(notebook)!;
            var document = NotebookFile.Read(path);
            var language = (document.Language ?? "C#").ToLowerInvariant() is "python" ? ParameterLanguage.Python : ParameterLanguage.CSharp;
            var parameters = ParameterInjector.Declared(document, language);
            output.Display(new Table(
                ["name", "type", "default"],
                parameters.Select(p => (IReadOnlyList<string>)[p.Name, p.Type.ToString().ToLowerInvariant(), p.Default]).ToArray())
            {
                Title = parameters.Count == 0 ? $"{path} has no cell tagged 'parameters'." : $"Parameters of {path}",
            });
        });
        return command;
    }
}
