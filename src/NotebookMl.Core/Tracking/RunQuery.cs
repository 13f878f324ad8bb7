using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NotebookMl.Core.Options;
using NotebookMl.Core.Storage;

namespace NotebookMl.Core.Tracking;

/// <summary>
/// Which runs to list, MLflow-style: <c>Filter</c> like <c>params.lr = '0.1' and metrics.auc &gt;= 0.8</c>
/// (params and tags compare as text, or as numbers when the value is a number; metrics by their latest
/// value; attributes: <c>status</c>, <c>name</c>), <c>OrderBy</c> like <c>metrics.auc desc</c>.
/// </summary>
public sealed partial record RunQuery
{
    /// <summary>Only runs of this experiment.</summary>
    public string? Experiment { get; init; }

    /// <summary>Conditions joined by <c>and</c>.</summary>
    public string? Filter { get; init; }

    /// <summary><c>metrics.KEY</c>, <c>params.KEY</c>, <c>started</c>, <c>name</c>, then <c>asc</c>/<c>desc</c>; default newest first.</summary>
    public string? OrderBy { get; init; }

    /// <summary>At most this many runs.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>
    /// Adds this query's parameters to <paramref name="command"/> and returns what follows <c>FROM runs r JOIN experiments e …</c>
    /// (joins, WHERE, ORDER BY, LIMIT): one part, or, ordered by a metric, two: the runs that have it, in the order of the
    /// index on the latest metrics (so the first LIMIT rows are read, not every run), then those that do not, newest
    /// first. Bad syntax is a clear error.
    /// </summary>
    internal IReadOnlyList<string> ToSql(DbCommand command)
    {
        var where = new List<string>();
        if (Experiment is not null)
        {
            where.Add("e.name = @experiment");
            command.Parameters.AddWithValue("@experiment", Experiment);
        }

        var index = 0;
        foreach (var clause in Clauses())
        {
            where.Add(Condition(clause, command, index++));
        }

        var limit = " LIMIT " + Limit.ToString(CultureInfo.InvariantCulture);
        if (OrderedKey is ("metrics", var key) && OrderSyntax().Match(OrderBy!.Trim()) is var order)
        {
            var direction = order.Groups["dir"].Value.Equals("desc", StringComparison.OrdinalIgnoreCase) ? "DESC" : "ASC";
            command.Parameters.AddWithValue("@ok", key);
            const string has = "o.run_id = r.id AND o.key = @ok AND o.value IS NOT NULL";
            return
            [
                $" JOIN latest_metrics o ON {has}{Where(where)} ORDER BY o.value {direction}, r.started DESC{limit}",
                $"{Where([.. where, $"NOT EXISTS (SELECT 1 FROM latest_metrics o WHERE {has})"])} ORDER BY r.started DESC{limit}",
            ];
        }

        return [$"{Where(where)} ORDER BY {Order(command)}{limit}"];
    }

    private static string Where(IReadOnlyList<string> conditions) => conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "";

    private IEnumerable<string> Clauses() =>
        string.IsNullOrWhiteSpace(Filter) ? [] : AndSeparator().Split(Filter.Trim()).Where(c => c.Trim().Length > 0);

    private static string Condition(string clause, DbCommand command, int index)
    {
        var match = ClauseSyntax().Match(clause.Trim());
        if (!match.Success)
        {
            throw new InvalidOptionException("Filter", $"cannot read '{clause.Trim()}'; write e.g. params.lr = '0.1', metrics.auc >= 0.8, tags.team = 'x' or status = 'FINISHED', joined by 'and'.");
        }

        var kind = match.Groups["kind"].Value.ToLowerInvariant();
        var key = match.Groups["key"].Value.Trim('`', '"');
        var op = match.Groups["op"].Value.ToUpperInvariant() switch { "==" => "=", "<>" => "!=", var o => o };
        var text = match.Groups["value"].Value.Trim();
        var quoted = text.Length >= 2 && (text[0] == '\'' || text[0] == '"') && text[^1] == text[0];
        var value = quoted ? text[1..^1] : text;
        var isNumber = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number);
        command.Parameters.AddWithValue($"@fk{index}", key);
        command.Parameters.AddWithValue($"@fv{index}", isNumber && !quoted ? number : value);
        switch (kind)
        {
            case "metric" or "metrics":
                if (!isNumber)
                {
                    throw new InvalidOptionException("Filter", $"metric '{key}' compares with a number, not '{text}'.");
                }

                return $"EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_id = r.id AND m.key = @fk{index} AND m.value {op} @fv{index})";
            case "param" or "params" or "tag" or "tags":
                // An unquoted number compares as a number; a quoted value as text.
                var table = kind.StartsWith("param", StringComparison.Ordinal) ? "params" : "tags";
                var dialect = StoreDialect.Of(command.Connection!);
                var column = isNumber && !quoted ? dialect.Number("x.value") : "x.value";
                var comparison = op == "LIKE" ? dialect.Like : op;
                return $"EXISTS (SELECT 1 FROM {table} x WHERE x.run_id = r.id AND x.key = @fk{index} AND {column} {comparison} @fv{index})";
            default:
                var attribute = key.ToLowerInvariant() switch
                {
                    "status" => "upper(r.status)",
                    "name" or "run_name" => "r.name",
                    "id" or "run_id" => "r.id",
                    _ => throw new InvalidOptionException("Filter", $"unknown attribute '{key}'; attributes: status, name, id."),
                };
                if (key.Equals("status", StringComparison.OrdinalIgnoreCase))
                {
                    command.Parameters[$"@fv{index}"].Value = value.ToUpperInvariant();
                }

                return $"{attribute} {op} @fv{index}";
        }
    }

    private string Order(DbCommand command)
    {
        if (string.IsNullOrWhiteSpace(OrderBy))
        {
            return "r.started DESC, r.id";
        }

        var match = OrderSyntax().Match(OrderBy.Trim());
        if (!match.Success)
        {
            throw new InvalidOptionException("OrderBy", $"cannot read '{OrderBy}'; write e.g. 'metrics.auc desc', 'params.lr', 'started asc'.");
        }

        var direction = match.Groups["dir"].Value.Equals("desc", StringComparison.OrdinalIgnoreCase) ? "DESC" : "ASC";
        command.Parameters.AddWithValue("@ok", match.Groups["key"].Value.Trim('`'));
        if (match.Groups["kind"].Value.StartsWith("param", StringComparison.OrdinalIgnoreCase))
        {
            const string param = "(SELECT value FROM params p WHERE p.run_id = r.id AND p.key = @ok)";
            return $"{param} IS NULL, {StoreDialect.Of(command.Connection!).OrderNumbersThenText(param, direction)}, r.started DESC";
        }

        var expression = match.Groups["kind"].Value.ToLowerInvariant() switch
        {
            "tag" or "tags" => "(SELECT value FROM tags t WHERE t.run_id = r.id AND t.key = @ok)",
            _ => match.Groups["key"].Value.ToLowerInvariant() switch
            {
                "started" or "start_time" => "r.started",
                "ended" or "end_time" => "r.ended",
                "name" => "r.name",
                "status" => "r.status",
                var other => throw new InvalidOptionException("OrderBy", $"unknown attribute '{other}'; use metrics.KEY, params.KEY, tags.KEY, started, ended, name or status."),
            },
        };
        return $"{expression} IS NULL, {expression} {direction}, r.started DESC";
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSeparator();

    [GeneratedRegex(@"^(?:(?<kind>metrics?|params?|tags?|attributes?)\.)?(?<key>`[^`]+`|""[^""]+""|[A-Za-z0-9_\-./]+)\s*(?<op>==|!=|<>|<=|>=|=|<|>|like)\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ClauseSyntax();

    /// <summary>
    /// The metric, param or tag <see cref="OrderBy"/> orders by (<c>metrics</c>, <c>params</c> or <c>tags</c>, and the key), or
    /// null when it orders by an attribute or not at all.
    /// </summary>
    internal (string Kind, string Key)? OrderedKey =>
        string.IsNullOrWhiteSpace(OrderBy) || OrderSyntax().Match(OrderBy.Trim()) is not { Success: true } match || match.Groups["kind"].Value.Length == 0
            || match.Groups["kind"].Value.StartsWith("attribute", StringComparison.OrdinalIgnoreCase)
            ? null
            : (match.Groups["kind"].Value.ToLowerInvariant().TrimEnd('s') + "s", match.Groups["key"].Value.Trim('`'));

    // A key with spaces is quoted in backticks (as MLflow writes it); anything after the key but asc or desc is an error.
    [GeneratedRegex(@"^(?:(?<kind>metrics?|params?|tags?|attributes?)\.)?(?<key>`[^`]+`|[A-Za-z0-9_\-./]+)(?:\s+(?<dir>asc|desc))?$", RegexOptions.IgnoreCase)]
    private static partial Regex OrderSyntax();
}
