using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;

namespace NotebookMl.Core.Features.Historical;

/// <summary>
/// The point-in-time join done in memory: a view's rows (sorted by key, event time and created time) are
/// grouped by key, and each entity row binary-searches its key's group for the last row with event time ≤
/// its own (of equal event times, the latest created); a row older than the TTL, or none at all, gives
/// nulls. Keys are encoded to small integers (<see cref="JoinKeyCodes"/>), so the per-row work is a lookup
/// and a search, on all cores.
/// Only plain cases come here (text or integer keys, a DateTime entity time); others go through DuckDB.
/// </summary>
internal static class PointInTimeJoin
{
    /// <summary>Whether the entity columns are of types this join handles.</summary>
    public static bool Handles(DataFrame entities, IReadOnlyList<string> keys, string timestampColumn) =>
        entities.Columns[timestampColumn] is DateTimeDataFrameColumn && keys.All(k => JoinKeyCodes.Kind(entities.Columns[k]) is not null);

    /// <summary>
    /// For each entity row, the index of its view row, or -1. <paramref name="viewRows"/> holds the keys
    /// and <c>event_timestamp</c>, sorted by keys then time (rows of one key and time: the one to use last).
    /// </summary>
    public static int[] Match(DataFrame entities, DataFrame viewRows, IReadOnlyList<string> keys, string timestampColumn, TimeSpan? ttl)
    {
        var viewCount = (int)viewRows.Rows.Count;
        var (viewCodes, entityCodes, distinct) = JoinKeyCodes.Encode(viewRows.Columns[keys[0]], entities.Columns[keys[0]]);
        foreach (var key in keys.Skip(1))
        {
            var (view, entity, _) = JoinKeyCodes.Encode(viewRows.Columns[key], entities.Columns[key]);
            distinct = JoinKeyCodes.Combine(viewCodes, entityCodes, view, entity);
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

        var (eventTimes, _) = Values((DateTimeDataFrameColumn)viewRows.Columns["event_timestamp"]);
        var events = Array.ConvertAll(eventTimes, Ticks);
        var maxAge = ttl?.Ticks ?? long.MaxValue;

        // The entity codes become the matches, row by row, read straight from the time column's buffers.
        var first = 0;
        foreach (var (times, validity) in Buffers((DateTimeDataFrameColumn)entities.Columns[timestampColumn]))
        {
            var offset = first;
            JoinKeyCodes.ForBlocks(times.Length, (start, end) =>
            {
                var time = times.Span;
                var valid = validity.Span;
                for (var i = start; i < end; i++)
                {
                    var code = entityCodes[offset + i];
                    entityCodes[offset + i] = code < 0 || (valid[i >> 3] & (1 << (i & 7))) == 0 || ends[code] == 0
                        ? -1
                        : Latest(events, starts[code], ends[code], Ticks(time[i]), maxAge);
                }
            });
            first += times.Length;
        }

        return entityCodes;
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

    /// <summary>A DateTime is its ticks with the kind in the top two bits: compared as ticks, kind ignored.</summary>
    private static long Ticks(DateTime time) => (long)((ulong)Unsafe.As<DateTime, long>(ref time) & 0x3FFF_FFFF_FFFF_FFFFUL);

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
        var bytes = ColumnMemory.AllocateUninitialized<byte>(Math.Max(1, matches.Length) * Unsafe.SizeOf<T>());
        var bitmap = ColumnMemory.Allocate<byte>((matches.Length + 7) / 8);
        var nulls = 0;
        JoinKeyCodes.ForBlocks(matches.Length, (start, end) =>
        {
            var output = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
            var missing = 0;
            for (var row = start; row < end; row++)
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
                    missing++;
                }
            }

            Interlocked.Add(ref nulls, missing);
        });

        return create(name, bytes.AsMemory(0, matches.Length * Unsafe.SizeOf<T>()), bitmap, matches.Length, nulls);
    }

    /// <summary>A column's values and whether each is present, copied into two arrays (for the view's rows, which are few).</summary>
    private static (T[] Values, bool[] Valid) Values<T>(PrimitiveDataFrameColumn<T> column)
        where T : unmanaged
    {
        var values = new T[column.Length];
        var valid = new bool[column.Length];
        var offset = 0;
        foreach (var (buffer, bits) in Buffers(column))
        {
            buffer.Span.CopyTo(values.AsSpan(offset));
            for (var i = 0; i < buffer.Length; i++)
            {
                valid[offset + i] = (bits.Span[i >> 3] & (1 << (i & 7))) != 0;
            }

            offset += buffer.Length;
        }

        return (values, valid);
    }

    /// <summary>A column's buffers: values and Arrow validity bitmap, in row order.</summary>
    private static IEnumerable<(ReadOnlyMemory<T> Values, ReadOnlyMemory<byte> Validity)> Buffers<T>(PrimitiveDataFrameColumn<T> column)
        where T : unmanaged =>
        column.GetReadOnlyDataBuffers().Zip(column.GetReadOnlyNullBitMapBuffers());
}
