using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Drift;
using NotebookMl.Core.Features;
using NotebookMl.Core.Options;
using NotebookMl.Core.Predictions;
using NotebookMl.Core.Workspaces;

namespace NotebookMl.Core.Drift.Sources;

/// <summary>
/// Opens a side of a drift comparison from what a user typed: a Parquet, CSV or Arrow file; a DataFrame (in a notebook);
/// a feature view's rows over a time range (<c>view:NAME@2001-01-01..2001-06-01</c>, either end may be left out); or a
/// registered model's reference statistics (<c>models:/NAME@ALIAS</c>, <c>models:/NAME/3</c>). A DuckDB query may select
/// from a file, a DataFrame or a view, which it names <c>source</c>.
/// </summary>
/// <param name="models">Opens a registered model's reference statistics (for <c>models:/</c>).</param>
/// <param name="features">Opens the feature store (for <c>view:</c>).</param>
/// <param name="frames">Finds a DataFrame by name (a notebook's variables), or null.</param>
/// <param name="baseDirectory">Where relative paths start.</param>
public sealed class DriftSources(Func<string, IDriftDataset> models, Func<FeatureStore> features, Func<string, DataFrame?>? frames = null, string? baseDirectory = null)
{
    /// <summary>
    /// Opens <paramref name="source"/>, through <paramref name="query"/> when given; <paramref name="side"/> names the
    /// argument (reference or current) and <paramref name="queryOption"/> the query's option in errors.
    /// </summary>
    public IDriftDataset Open(string source, string? query, string side, string queryOption)
    {
        if (source.StartsWith("models:/", StringComparison.Ordinal))
        {
            if (query is not null)
            {
                throw new InvalidOptionException(queryOption, $"{source} is a model's reference statistics, not rows; a query needs a file, a DataFrame or a view.");
            }

            return models(source);
        }

        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        try
        {
            var (relation, description) = source.StartsWith("view:", StringComparison.Ordinal) ? View(connection, source, side) : File(connection, source, side);
            if (query is not null)
            {
                relation = $"(WITH source AS (SELECT * FROM {relation}) {query})";
                description = $"{description} through '{query}'";
            }

            try
            {
                // Parquet alone is read a column at a time; anything else (CSV, a query) is copied into DuckDB once.
                var columnar = query is null && relation.StartsWith("read_parquet(", StringComparison.Ordinal);
                return new RelationDataset(connection, relation, description, materialize: !columnar);
            }
            catch (DuckDBException e)
            {
                throw query is null
                    ? new InvalidDataException($"{side}: DuckDB cannot read {description}: {e.Message.Split('\n')[0]}")
                    : new InvalidOptionException(queryOption, $"DuckDB cannot run it over {source}: {e.Message.Split('\n')[0]}");
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The served answers (not the shadow's) in <paramref name="workspace"/>'s prediction log of <paramref name="model"/> from
    /// <paramref name="since"/> until <paramref name="until"/>, or null when the model has no log at all.
    /// </summary>
    public static IDriftDataset? PredictionLog(WorkspaceLocation workspace, string model, DateTimeOffset since, DateTimeOffset until)
    {
        if (PredictionLogFiles.Relation(workspace, model, since) is not { } relation)
        {
            return null;
        }

        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var window = $"{since.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}..{until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
        return new RelationDataset(connection, $"(SELECT * FROM {relation} WHERE route <> 'shadow' AND time < {DuckDbSql.Timestamp(until.UtcDateTime)})", $"the prediction log of {model}, {window}");
    }

    private (string Relation, string Description) File(DuckDBConnection connection, string source, string side)
    {
        if (frames?.Invoke(source) is { } frame)
        {
            return (Register(connection, frame), $"DataFrame {source} ({frame.Rows.Count:N0} rows)");
        }

        var path = Path.GetFullPath(source, baseDirectory ?? Environment.CurrentDirectory);
        if (!System.IO.File.Exists(path))
        {
            var hint = frames is null ? "" : " nor a DataFrame variable";
            throw new FileNotFoundException($"{side}: '{source}' is neither a file{hint}, a view:NAME@FROM..TO nor a models:/NAME@ALIAS (looked for {path}).");
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" => ($"read_parquet({DuckDbSql.Literal(path)})", source),
            ".csv" or ".tsv" or ".txt" => ($"read_csv({DuckDbSql.Literal(path)}, header = true)", source),
            ".arrow" or ".feather" or ".ipc" => (Register(connection, ArrowFiles.Read(path)), source),
            var other => throw new InvalidDataException($"{side}: {source}: '{other}' files are not read; use Parquet, CSV or Arrow IPC."),
        };
    }

    /// <summary>
    /// Checks what can be checked before any data is read: a <c>view:</c> source's time range and that the view
    /// exists. Computing a view takes seconds, so its errors are said before that starts.
    /// </summary>
    public void Check(string source, string side)
    {
        if (source.StartsWith("view:", StringComparison.Ordinal))
        {
            var (name, _, _) = ParseView(source, side);
            features().GetView(name);
        }
    }

    private (string Relation, string Description) View(DuckDBConnection connection, string source, string side)
    {
        var (name, from, to) = ParseView(source, side);
        var store = features();
        var rows = store.ReadView(name);
        var table = Register(connection, rows);
        var filters = new List<string>();
        if (from is { } start)
        {
            filters.Add($"event_timestamp >= {DuckDbSql.Timestamp(start)}");
        }

        if (to is { } end)
        {
            filters.Add($"event_timestamp < {DuckDbSql.Timestamp(end)}");
        }

        var where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        return ($"(SELECT * FROM {table}{where})", source);
    }

    private static (string Name, DateTime? From, DateTime? To) ParseView(string source, string side)
    {
        var text = source["view:".Length..];
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        DateTime? from = null, to = null;
        if (at >= 0)
        {
            var range = text[(at + 1)..].Split("..");
            if (range.Length != 2 || (range[0].Length > 0 && !TryDate(range[0], out from)) || (range[1].Length > 0 && !TryDate(range[1], out to)))
            {
                throw new ArgumentException($"{side}: '{source}' has no usable time range; expected view:NAME@FROM..TO with dates or times such as 2001-01-01..2001-06-01 (either end may be left out).");
            }
        }

        return (name, from, to);
    }

    private static bool TryDate(string text, out DateTime? value)
    {
        var parsed = DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time);
        value = parsed ? time : null;
        return parsed;
    }

    private static string Register(DuckDBConnection connection, DataFrame frame)
    {
        const string table = "frame_rows";
        DuckDbTables.Create(connection, table, frame, temporary: false);
        return table;
    }
}
