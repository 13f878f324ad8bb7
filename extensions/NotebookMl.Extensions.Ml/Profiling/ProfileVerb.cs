using System.CommandLine;
using Microsoft.Data.Analysis;
using NotebookMl.Verbs;

namespace NotebookMl.Extensions.Ml.Profiling;

/// <summary>
/// <c>#!profile SOURCE [--query SQL]</c> / <c>notebookml profile SOURCE</c>: per-column statistics of a data set: a Parquet,
/// CSV or Arrow file (read as every verb reads files, optionally through a DuckDB query over it), or in a notebook also a
/// <see cref="DataFrame"/> variable.
/// </summary>
public sealed class ProfileVerb(IVariableSource? variables = null) : IVerb
{
    /// <inheritdoc/>
    public string Name => "profile";

    /// <inheritdoc/>
    public string Description => "Show per-column statistics (type, count, nulls, mean, std, min, max, distinct) of a Parquet, CSV or Arrow file or a DataFrame variable.";

    /// <inheritdoc/>
    public Command CreateCommand(IVerbContext context)
    {
        var source = new Argument<string>("source") { Description = "A Parquet, CSV or Arrow file, or (in a notebook) the name of a DataFrame variable." };
        var query = new Option<string?>("--query") { Description = "DuckDB SQL over the file, which is the relation 'source' (SELECT * FROM source WHERE …)." };
        var separator = new Option<char?>("--separator") { Description = "The field separator of a CSV file (default: detected)." };
        var command = new Command(Name, Description) { source, query, separator };
        command.SetAction(parse =>
        {
            var frame = Load(parse.GetValue(source)!, parse.GetValue(query), parse.GetValue(separator));
            context.Display(DataProfiler.Profile(frame));
        });
        return command;
    }

    private DataFrame Load(string source, string? query, char? separator)
    {
        if (variables is not null && variables.TryGetVariable<DataFrame>(source, out var variable))
        {
            return query is null ? variable : throw new ArgumentException("--query: it runs over a file; filter a DataFrame variable in C#.");
        }

        if (!File.Exists(source))
        {
            var variablesHint = variables is null ? "" : " nor a DataFrame variable";
            throw new FileNotFoundException($"'{source}' is neither a Parquet, CSV or Arrow file{variablesHint}.");
        }

        if (separator is null)
        {
            return Core.Data.DataFiles.Read(source, query);
        }

        if (query is not null)
        {
            throw new ArgumentException("--separator: give it without --query (a query reads the file as DuckDB detects it).");
        }

        try
        {
            return DataFrame.LoadCsv(source, separator.Value);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: not a readable CSV file ({e.Message}).");
        }
    }
}
