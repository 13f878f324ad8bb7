using System.CommandLine;
using Microsoft.Data.Analysis;
using NotebookMl.Kernel;
using NotebookMl.Kernel.Verbs;

namespace NotebookMl.Extensions.Ml.Profiling;

/// <summary>
/// <c>#!profile SOURCE</c> / <c>notebookml profile SOURCE</c>: per-column statistics of a data set:
/// a CSV file, or in a notebook also a <see cref="DataFrame"/> variable.
/// </summary>
public sealed class ProfileVerb(IVariableSource? variables = null) : IVerb
{
    /// <inheritdoc/>
    public string Name => "profile";

    /// <inheritdoc/>
    public string Description => "Show per-column statistics (type, count, nulls, mean, std, min, max, distinct) of a CSV file or DataFrame variable.";

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var source = new Argument<string>("source") { Description = "A CSV file, or (in a notebook) the name of a DataFrame variable." };
        var separator = new Option<char>("--separator") { Description = "The CSV field separator.", DefaultValueFactory = _ => ',' };
        var command = new Command(Name, Description) { source, separator };
        command.SetAction(parse =>
        {
            var frame = Load(parse.GetValue(source)!, parse.GetValue(separator));
            context.Display(DataProfiler.Profile(frame));
        });
        return command;
    }

    private DataFrame Load(string source, char separator)
    {
        if (variables is not null && variables.TryGetVariable<DataFrame>(source, out var variable))
        {
            return variable;
        }

        if (!File.Exists(source))
        {
            var variablesHint = variables is null ? "" : " nor a DataFrame variable";
            throw new FileNotFoundException($"'{source}' is neither a CSV file{variablesHint}.");
        }

        try
        {
            return DataFrame.LoadCsv(source, separator);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: not a readable CSV file ({e.Message}).");
        }
    }
}
