using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookMl.Jupyter;

/// <summary>The cells executed in this kernel session, answering <c>history_request</c> (tail, range, search).</summary>
internal sealed class HistoryStore
{
    private const int Session = 1;
    private readonly List<(int Line, string Input, string? Output)> _entries = [];
    private readonly object _sync = new();

    public void Add(int line, string input, string? output)
    {
        lock (_sync)
        {
            _entries.Add((line, input, output));
        }
    }

    public JsonArray Query(JsonObject request)
    {
        var withOutput = request["output"]?.GetValue<bool>() ?? false;
        var n = request["n"]?.GetValue<int>();
        IEnumerable<(int Line, string Input, string? Output)> selected;
        lock (_sync)
        {
            selected = (request["hist_access_type"]?.GetValue<string>() ?? "tail") switch
            {
                "range" => _entries.Where(e => e.Line >= (request["start"]?.GetValue<int>() ?? 0) && (request["stop"]?.GetValue<int>() is not { } stop || e.Line < stop)),
                "search" => Search(request["pattern"]?.GetValue<string>() ?? "*", request["unique"]?.GetValue<bool>() ?? false),
                _ => _entries,
            };
            selected = n is { } count ? selected.TakeLast(count).ToArray() : selected.ToArray();
        }

        var history = new JsonArray();
        foreach (var (line, input, output) in selected)
        {
            history.Add(withOutput ? new JsonArray(Session, line, new JsonArray(input, output)) : new JsonArray(Session, line, input));
        }

        return history;
    }

    private IEnumerable<(int Line, string Input, string? Output)> Search(string glob, bool unique)
    {
        var pattern = new Regex("^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.Singleline);
        var matches = _entries.Where(e => pattern.IsMatch(e.Input));
        return unique ? matches.GroupBy(e => e.Input).Select(g => g.Last()).OrderBy(e => e.Line) : matches;
    }
}
