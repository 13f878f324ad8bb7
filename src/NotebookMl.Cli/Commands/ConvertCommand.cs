using NotebookMl.Cli.Rendering;
using System.CommandLine;
using NotebookMl.Notebooks;

namespace NotebookMl.Cli.Commands;

/// <summary><c>notebookml convert IN OUT</c>: between .ipynb and .dib, by extension.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "The notebook to read (.ipynb or .dib)." };
        var output = new Argument<string>("output") { Description = "The notebook to write (.ipynb or .dib)." };
        var command = new Command("convert", "Convert a notebook between .ipynb and .dib.") { input, output };
        command.SetAction(parse =>
        {
            var from = parse.GetValue(input)!;
            var to = parse.GetValue(output)!;
            NotebookConverter.Convert(from, to);
            Terminal.Out.WriteLine($"Wrote {to}");
        });
        return command;
    }
}
