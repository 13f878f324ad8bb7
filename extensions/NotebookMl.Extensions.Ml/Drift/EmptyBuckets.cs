using System.Globalization;

namespace NotebookMl.Extensions.Ml.Drift;

/// <summary>Table rows per time bucket, with each run of empty buckets (no traffic, no labels) folded into one row.</summary>
internal static class EmptyBuckets
{
    /// <summary>
    /// A row per bucket of <paramref name="buckets"/> (<paramref name="row"/>); consecutive empty ones become one row whose first
    /// cell spans them and whose second says how many, the rest of its <paramref name="width"/> cells blank.
    /// </summary>
    public static IEnumerable<IReadOnlyList<string>> Rows<T>(IEnumerable<T> buckets, Func<T, bool> empty, Func<T, (DateTimeOffset Start, DateTimeOffset End)> span,
        Func<T, IReadOnlyList<string>> row, int width)
    {
        var run = new List<T>();
        foreach (var bucket in buckets)
        {
            if (empty(bucket))
            {
                run.Add(bucket);
                continue;
            }

            if (run.Count > 0)
            {
                yield return Folded(run, span, row, width);
                run.Clear();
            }

            yield return row(bucket);
        }

        if (run.Count > 0)
        {
            yield return Folded(run, span, row, width);
        }
    }

    /// <summary>A bucket's start as the tables show it (UTC).</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static IReadOnlyList<string> Folded<T>(List<T> run, Func<T, (DateTimeOffset Start, DateTimeOffset End)> span, Func<T, IReadOnlyList<string>> row, int width) =>
        run.Count == 1
            ? row(run[0])
            : [$"{Time(span(run[0]).Start)} – {Time(span(run[^1]).End)}", $"0 ({run.Count} buckets)", .. Enumerable.Repeat("", width - 2)];
}
