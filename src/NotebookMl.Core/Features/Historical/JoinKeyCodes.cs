using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;

namespace NotebookMl.Core.Features.Historical;

/// <summary>
/// Join key values encoded as small integers: 0..n-1 for the view's distinct values, -1 for entity values
/// the view lacks and for nulls. Entity rows are encoded in parallel; UTF-8 entity text of up to 15 bytes
/// is looked up by its bytes (no string made), longer text by its characters.
/// </summary>
internal static class JoinKeyCodes
{
    private const int Block = 65_536;

    /// <summary>"text", "integer", or null for a column type the in-memory join does not take.</summary>
    public static string? Kind(DataFrameColumn column) => column switch
    {
        StringDataFrameColumn or ArrowStringDataFrameColumn => "text",
        Int64DataFrameColumn or Int32DataFrameColumn or Int16DataFrameColumn or SByteDataFrameColumn or ByteDataFrameColumn or UInt16DataFrameColumn or UInt32DataFrameColumn => "integer",
        _ => null,
    };

    /// <summary>Codes of one key: the view's rows, the entity rows, and how many distinct values the view has.</summary>
    public static (int[] View, int[] Entity, int Count) Encode(DataFrameColumn view, DataFrameColumn entity) => (Kind(view), Kind(entity)) switch
    {
        ("text", "text") => EncodeText(view, entity),
        ("integer", "integer") => EncodeIntegers(Integers(view), Integers(entity)),
        _ => throw new ArgumentException($"join key '{view.Name}' is {Kind(entity) ?? entity.DataType.Name} in the entity rows but {Kind(view) ?? view.DataType.Name} in the feature view."),
    };

    /// <summary>
    /// Several keys: the codes so far and one more key's codes, pair by pair, become new codes (written
    /// over <paramref name="viewCodes"/> and <paramref name="entityCodes"/>); returns how many there are.
    /// </summary>
    public static int Combine(int[] viewCodes, int[] entityCodes, int[] view, int[] entity)
    {
        var pairs = new Dictionary<(int, int), int>();
        for (var row = 0; row < viewCodes.Length; row++)
        {
            viewCodes[row] = viewCodes[row] < 0 || view[row] < 0 ? -1
                : pairs.TryGetValue((viewCodes[row], view[row]), out var code) ? code : pairs[(viewCodes[row], view[row])] = pairs.Count;
        }

        ForBlocks(entityCodes.Length, (start, end) =>
        {
            for (var row = start; row < end; row++)
            {
                entityCodes[row] = entityCodes[row] >= 0 && entity[row] >= 0 && pairs.TryGetValue((entityCodes[row], entity[row]), out var code) ? code : -1;
            }
        });
        return pairs.Count;
    }

    /// <summary>Runs <paramref name="body"/> over [0, count) in blocks of 65,536 rows (a multiple of 8: blocks never share a bitmap byte), in parallel.</summary>
    public static void ForBlocks(int count, Action<int, int> body) =>
        Parallel.For(0, (count + Block - 1) / Block, part => body(part * Block, Math.Min(count, (part + 1) * Block)));

    private static (int[] View, int[] Entity, int Count) EncodeText(DataFrameColumn view, DataFrameColumn entity)
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var viewCodes = new int[view.Length];
        var viewRow = 0;
        foreach (var text in Texts(view))
        {
            viewCodes[viewRow++] = text is not null ? (codes.TryGetValue(text, out var code) ? code : codes[text] = codes.Count) : -1;
        }

        var entityCodes = ColumnMemory.AllocateUninitialized<int>((int)entity.Length);
        if (entity is ArrowStringDataFrameColumn utf8)
        {
            EncodeUtf8(utf8, codes, entityCodes);
        }
        else
        {
            var strings = (StringDataFrameColumn)entity;
            ForBlocks(entityCodes.Length, (start, end) =>
            {
                for (var row = start; row < end; row++)
                {
                    entityCodes[row] = strings[row] is { } text && codes.TryGetValue(text, out var code) ? code : -1;
                }
            });
        }

        return (viewCodes, entityCodes, codes.Count);
    }

    private static IEnumerable<string?> Texts(DataFrameColumn column) => column switch
    {
        StringDataFrameColumn strings => strings,
        ArrowStringDataFrameColumn utf8 => utf8,
        _ => throw new ArgumentException($"column '{column.Name}' is not text."),
    };

    private static void EncodeUtf8(ArrowStringDataFrameColumn column, Dictionary<string, int> codes, int[] output)
    {
        var shortCodes = new ShortUtf8Table(codes);
        var lookup = codes.GetAlternateLookup<ReadOnlySpan<char>>();
        var first = 0;
        using var offsets = column.GetReadOnlyOffsetsBuffers().GetEnumerator();
        using var bitmaps = column.GetReadOnlyNullBitMapBuffers().GetEnumerator();
        foreach (var data in column.GetReadOnlyDataBuffers())
        {
            offsets.MoveNext();
            bitmaps.MoveNext();
            var (bytes, starts, valid, segmentStart) = (data, offsets.Current, bitmaps.Current, first);
            var rows = starts.Length - 1;
            ForBlocks(rows, (start, end) =>
            {
                Span<char> buffer = stackalloc char[256];
                var text = bytes.Span;
                var bounds = starts.Span;
                var validity = valid.Span;
                for (var i = start; i < end; i++)
                {
                    if ((validity[i >> 3] & (1 << (i & 7))) == 0)
                    {
                        output[segmentStart + i] = -1;
                        continue;
                    }

                    var value = text[bounds[i]..bounds[i + 1]];
                    if (value.Length <= ShortUtf8Table.MaxLength)
                    {
                        output[segmentStart + i] = shortCodes.Find(value);
                        continue;
                    }

                    var chars = value.Length <= buffer.Length ? buffer : new char[value.Length];
                    var length = System.Text.Encoding.UTF8.GetChars(value, chars);
                    output[segmentStart + i] = lookup.TryGetValue(chars[..length], out var code) ? code : -1;
                }
            });
            first += rows;
        }
    }

    private static (int[] View, int[] Entity, int Count) EncodeIntegers(long?[] view, long?[] entity)
    {
        var codes = new Dictionary<long, int>();
        var viewCodes = Array.ConvertAll(view, v => v is { } value ? (codes.TryGetValue(value, out var code) ? code : codes[value] = codes.Count) : -1);
        var entityCodes = ColumnMemory.AllocateUninitialized<int>(entity.Length);
        ForBlocks(entity.Length, (start, end) =>
        {
            for (var row = start; row < end; row++)
            {
                entityCodes[row] = entity[row] is { } value && codes.TryGetValue(value, out var code) ? code : -1;
            }
        });
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
}
