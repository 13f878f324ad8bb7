using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Features;

/// <summary>
/// The point-in-time join done in memory: a view's rows (one per key and event time, sorted by key and
/// event time) are grouped by key, and each entity row binary-searches its key's group for the latest
/// event time ≤ its own; a row older than the TTL, or none at all, gives nulls. Keys are encoded to
/// small integers once per distinct value, so the per-row work is a dictionary lookup and a search.
/// Only plain cases come here (text or integer keys, a DateTime entity time); others go through DuckDB.
/// </summary>
internal static class PointInTimeJoin
{
    /// <summary>Whether the entity columns are of types this join handles.</summary>
    public static bool Handles(DataFrame entities, IReadOnlyList<string> keys, string timestampColumn) =>
        entities.Columns[timestampColumn] is DateTimeDataFrameColumn && keys.All(k => KeyKind(entities.Columns[k]) is not null);

    /// <summary>
    /// For each entity row, the index of its view row, or -1. <paramref name="viewRows"/> holds the keys
    /// and <c>event_timestamp</c>, sorted by keys then time.
    /// </summary>
    public static int[] Match(DataFrame entities, DataFrame viewRows, IReadOnlyList<string> keys, string timestampColumn, TimeSpan? ttl)
    {
        var viewCount = (int)viewRows.Rows.Count;
        var entityCount = (int)entities.Rows.Count;
        var viewCodes = new int[viewCount];
        var entityCodes = new int[entityCount];
        var distinct = 0;
        foreach (var key in keys)
        {
            // Codes of several keys are combined pairwise: (code so far, this key's code) → a new code.
            var (view, entity, count) = Encode(viewRows.Columns[key], entities.Columns[key]);
            if (key == keys[0])
            {
                (viewCodes, entityCodes, distinct) = (view, entity, count);
            }
            else
            {
                distinct = Combine(viewCodes, entityCodes, view, entity);
            }
        }

        // Groups: the view is sorted by keys, so a key's rows are one run; starts[code]..ends[code].
        var starts = new int[distinct];
        var ends = new int[distinct];
        for (var row = 0; row < viewCount; row++)
        {
            var code = viewCodes[row];
            if (code < 0)
            {
                continue;
            }

            if (ends[code] == 0)
            {
                starts[code] = row;
            }

            ends[code] = row + 1;
        }

        var events = Ticks((DateTimeDataFrameColumn)viewRows.Columns["event_timestamp"], out _);
        var times = Ticks((DateTimeDataFrameColumn)entities.Columns[timestampColumn], out var timeValid);
        var maxAge = ttl?.Ticks ?? long.MaxValue;
        var matches = new int[entityCount];
        Parallel.For(0, (entityCount + 65_535) / 65_536, part =>
        {
            var end = Math.Min(entityCount, (part + 1) * 65_536);
            for (var row = part * 65_536; row < end; row++)
            {
                var code = entityCodes[row];
                matches[row] = code < 0 || !timeValid[row] || ends[code] == 0 ? -1 : Latest(events, starts[code], ends[code], times[row], maxAge);
            }
        });

        return matches;
    }

    /// <summary>The view's <paramref name="column"/> gathered by <paramref name="matches"/> (-1 → null).</summary>
    public static DataFrameColumn Gather(DataFrameColumn column, int[] matches, string name) => column switch
    {
        DoubleDataFrameColumn c => Gather<double>(c, matches, name, (n, b, m, l, k) => new DoubleDataFrameColumn(n, b, m, l, k)),
        Int64DataFrameColumn c => Gather<long>(c, matches, name, (n, b, m, l, k) => new Int64DataFrameColumn(n, b, m, l, k)),
        Int32DataFrameColumn c => Gather<int>(c, matches, name, (n, b, m, l, k) => new Int32DataFrameColumn(n, b, m, l, k)),
        DateTimeDataFrameColumn c => Gather<DateTime>(c, matches, name, (n, b, m, l, k) => new DateTimeDataFrameColumn(n, b, m, l, k)),
        BooleanDataFrameColumn c => new BooleanDataFrameColumn(name, matches.Select(i => i < 0 ? null : c[i])),
        StringDataFrameColumn c => new StringDataFrameColumn(name, matches.Select(i => i < 0 ? null : c[i])),
        _ => throw new NotSupportedException($"feature column '{column.Name}' of type {column.DataType.Name}"),
    };

    private static int Latest(long[] events, int start, int end, long time, long maxAge)
    {
        // The last row in [start, end) with event ≤ time.
        var (low, high) = (start, end);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (events[middle] <= time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == start || time - events[low - 1] > maxAge ? -1 : low - 1;
    }

    private static DataFrameColumn Gather<T>(PrimitiveDataFrameColumn<T> column, int[] matches, string name, Func<string, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, int, int, DataFrameColumn> create)
        where T : unmanaged
    {
        var (values, valid) = Values(column);
        var bytes = GC.AllocateUninitializedArray<byte>(Math.Max(1, matches.Length) * Marshal.SizeOf<T>());
        var bitmap = new byte[(matches.Length + 7) / 8];
        var nulls = 0;
        var output = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
        for (var row = 0; row < matches.Length; row++)
        {
            var match = matches[row];
            if (match >= 0 && valid[match])
            {
                output[row] = values[match];
                bitmap[row >> 3] |= (byte)(1 << (row & 7));
            }
            else
            {
                output[row] = default;
                nulls++;
            }
        }

        return create(name, bytes.AsMemory(0, matches.Length * Marshal.SizeOf<T>()), bitmap, matches.Length, nulls);
    }

    private static (T[] Values, bool[] Valid) Values<T>(PrimitiveDataFrameColumn<T> column)
        where T : unmanaged
    {
        var values = new T[column.Length];
        var valid = new bool[column.Length];
        var offset = 0;
        using var bitmaps = column.GetReadOnlyNullBitMapBuffers().GetEnumerator();
        foreach (var buffer in column.GetReadOnlyDataBuffers())
        {
            bitmaps.MoveNext();
            buffer.Span.CopyTo(values.AsSpan(offset));
            var bits = bitmaps.Current.Span;
            for (var i = 0; i < buffer.Length; i++)
            {
                valid[offset + i] = (bits[i >> 3] & (1 << (i & 7))) != 0;
            }

            offset += buffer.Length;
        }

        return (values, valid);
    }

    private static long[] Ticks(DateTimeDataFrameColumn column, out bool[] valid)
    {
        // A DateTime is its ticks with the kind in the top two bits: compared as ticks, kind ignored.
        var (values, present) = Values(column);
        valid = present;
        var ticks = MemoryMarshal.Cast<DateTime, long>(values.AsSpan()).ToArray();
        for (var i = 0; i < ticks.Length; i++)
        {
            ticks[i] &= 0x3FFF_FFFF_FFFF_FFFF;
        }

        return ticks;
    }

    private static string? KeyKind(DataFrameColumn column) => column switch
    {
        StringDataFrameColumn or ArrowStringDataFrameColumn => "text",
        Int64DataFrameColumn or Int32DataFrameColumn or Int16DataFrameColumn or SByteDataFrameColumn or ByteDataFrameColumn or UInt16DataFrameColumn or UInt32DataFrameColumn => "integer",
        _ => null,
    };

    /// <summary>Codes 0..n-1 for the view's distinct values; entity values the view lacks (or nulls) get -1.</summary>
    private static (int[] View, int[] Entity, int Count) Encode(DataFrameColumn view, DataFrameColumn entity)
    {
        if (KeyKind(view) == "text" && KeyKind(entity) == "text")
        {
            return EncodeText(view, entity);
        }

        if (KeyKind(view) == "integer" && KeyKind(entity) == "integer")
        {
            return Encode(Integers(view), Integers(entity));
        }

        throw new ArgumentException($"join key '{view.Name}' is {KeyKind(entity) ?? entity.DataType.Name} in the entity rows but {KeyKind(view) ?? view.DataType.Name} in the feature view.");
    }

    private static (int[] View, int[] Entity, int Count) EncodeText(DataFrameColumn view, DataFrameColumn entity)
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var viewCodes = new int[view.Length];
        var viewRow = 0;
        foreach (var text in Texts(view))
        {
            viewCodes[viewRow++] = text is not null ? (codes.TryGetValue(text, out var code) ? code : codes[text] = codes.Count) : -1;
        }

        var entityCodes = new int[entity.Length];
        if (entity is ArrowStringDataFrameColumn utf8)
        {
            EncodeUtf8(utf8, codes, entityCodes);
            return (viewCodes, entityCodes, codes.Count);
        }

        var row = 0;
        foreach (var text in Texts(entity))
        {
            entityCodes[row++] = text is not null && codes.TryGetValue(text, out var code) ? code : -1;
        }

        return (viewCodes, entityCodes, codes.Count);
    }

    private static IEnumerable<string?> Texts(DataFrameColumn column) => column switch
    {
        StringDataFrameColumn strings => strings,
        ArrowStringDataFrameColumn utf8 => utf8,
        _ => throw new ArgumentException($"column '{column.Name}' is not text."),
    };

    /// <summary>Codes of UTF-8 values looked up by their characters, without making strings.</summary>
    private static void EncodeUtf8(ArrowStringDataFrameColumn column, Dictionary<string, int> codes, int[] output)
    {
        var lookup = codes.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> buffer = stackalloc char[256];
        var row = 0;
        using var offsets = column.GetReadOnlyOffsetsBuffers().GetEnumerator();
        using var bitmaps = column.GetReadOnlyNullBitMapBuffers().GetEnumerator();
        foreach (var data in column.GetReadOnlyDataBuffers())
        {
            offsets.MoveNext();
            bitmaps.MoveNext();
            var bytes = data.Span;
            var starts = offsets.Current.Span;
            var valid = bitmaps.Current.Span;
            for (var i = 0; i < starts.Length - 1; i++, row++)
            {
                if ((valid[i >> 3] & (1 << (i & 7))) == 0)
                {
                    output[row] = -1;
                    continue;
                }

                var text = bytes[starts[i]..starts[i + 1]];
                var chars = text.Length <= buffer.Length ? buffer : new char[text.Length];
                var length = System.Text.Encoding.UTF8.GetChars(text, chars);
                output[row] = lookup.TryGetValue(chars[..length], out var code) ? code : -1;
            }
        }
    }

    private static (int[] View, int[] Entity, int Count) Encode(long?[] view, long?[] entity)
    {
        var codes = new Dictionary<long, int>();
        var viewCodes = Array.ConvertAll(view, v => v is { } value ? (codes.TryGetValue(value, out var code) ? code : codes[value] = codes.Count) : -1);
        var entityCodes = Array.ConvertAll(entity, v => v is { } value && codes.TryGetValue(value, out var code) ? code : -1);
        return (viewCodes, entityCodes, codes.Count);
    }

    private static long?[] Integers(DataFrameColumn column)
    {
        var values = new long?[column.Length];
        for (var row = 0; row < column.Length; row++)
        {
            values[row] = column[row] is { } value ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        return values;
    }

    private static int Combine(int[] viewCodes, int[] entityCodes, int[] view, int[] entity)
    {
        var pairs = new Dictionary<(int, int), int>();
        for (var row = 0; row < viewCodes.Length; row++)
        {
            viewCodes[row] = viewCodes[row] < 0 || view[row] < 0 ? -1
                : pairs.TryGetValue((viewCodes[row], view[row]), out var code) ? code : pairs[(viewCodes[row], view[row])] = pairs.Count;
        }

        for (var row = 0; row < entityCodes.Length; row++)
        {
            entityCodes[row] = entityCodes[row] >= 0 && entity[row] >= 0 && pairs.TryGetValue((entityCodes[row], entity[row]), out var code) ? code : -1;
        }

        return pairs.Count;
    }
}
