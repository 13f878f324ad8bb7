using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Features.Historical;

/// <summary>
/// Rows of feature views over files, as historical retrieval reads them, kept between retrievals while
/// neither the query (definition and version) nor the file (length, modification time) changes: a
/// notebook asks for training sets again and again over the same views, and recomputing the same
/// aggregates each time is most of the work. Least recently used rows go first past the budget (an
/// eighth of the memory available, at most 1 GiB). Rows kept here are only read, never handed out.
/// </summary>
internal sealed class ViewRowsCache
{
    private readonly long _budget;
    private readonly Lock _lock = new();
    private readonly LinkedList<(string Key, DataFrame Rows, long Bytes)> _recent = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, DataFrame Rows, long Bytes)>> _entries = new(StringComparer.Ordinal);
    private long _bytes;

    public ViewRowsCache(long? budgetBytes = null) =>
        _budget = budgetBytes ?? Math.Min(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8);

    /// <summary>
    /// The key of <paramref name="sql"/>'s rows when its source is the file <paramref name="path"/> as it is
    /// now; null (not cached) when the file changed in the last two seconds: a file system stamps times at
    /// a coarse granularity, so a second change that soon could leave the same length and time (git's
    /// "racily clean" files).
    /// </summary>
    public static string? Key(string sql, string path, DateTimeOffset now)
    {
        var file = new FileInfo(path);
        return now - file.LastWriteTimeUtc < TimeSpan.FromSeconds(2)
            ? null
            : $"{file.FullName}\n{file.Length}\n{file.LastWriteTimeUtc.Ticks}\n{sql}";
    }

    /// <summary>Forgets every view's rows.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recent.Clear();
            _bytes = 0;
        }
    }

    public bool TryGet(string key, out DataFrame rows)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                rows = node.Value.Rows;
                return true;
            }
        }

        rows = null!;
        return false;
    }

    public void Add(string key, DataFrame rows)
    {
        var bytes = Estimate(rows);
        if (bytes > _budget)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.Remove(key, out var old))
            {
                _recent.Remove(old);
                _bytes -= old.Value.Bytes;
            }

            _entries[key] = _recent.AddFirst((key, rows, bytes));
            _bytes += bytes;
            while (_bytes > _budget && _recent.Last is { } last)
            {
                _recent.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= last.Value.Bytes;
            }
        }
    }

    /// <summary>Roughly the bytes a frame holds: 8 per number or time, 40 per text value, plus validity.</summary>
    private static long Estimate(DataFrame rows) =>
        rows.Columns.Sum(c => c.Length * (c is StringDataFrameColumn or ArrowStringDataFrameColumn ? 40L : 8L)) + (rows.Rows.Count * rows.Columns.Count / 8);
}
