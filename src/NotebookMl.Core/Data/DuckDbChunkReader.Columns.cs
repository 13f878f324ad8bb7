using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>The columns a DuckDB result is copied into, one class per kind of value.</summary>
internal static unsafe partial class DuckDbChunkReader
{
    private abstract class Column(string name)
    {
        protected string Name { get; } = name;

        public static Column For(string name, int type, int rows, bool textAsArrow) => type switch
        {
            Double => new Numbers<double, double>(name, rows, v => v, (n, b, m, l, c) => new DoubleDataFrameColumn(n, b, m, l, c)),
            Float => new Numbers<float, double>(name, rows, v => v, (n, b, m, l, c) => new DoubleDataFrameColumn(n, b, m, l, c)),
            BigInt => new Numbers<long, long>(name, rows, v => v, (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
            Integer => new Numbers<int, int>(name, rows, v => v, (n, b, m, l, c) => new Int32DataFrameColumn(n, b, m, l, c)),
            SmallInt => new Numbers<short, long>(name, rows, v => v, (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
            TinyInt => new Numbers<sbyte, long>(name, rows, v => v, (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
            UInteger => new Numbers<uint, long>(name, rows, v => v, (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
            USmallInt => new Numbers<ushort, long>(name, rows, v => v, (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
            UTinyInt => new Numbers<byte, long>(name, rows, v => v, (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
            Timestamp or TimestampTz => new Timestamps(name, rows, 10, 1),
            TimestampMs => new Timestamps(name, rows, 10_000, 1),
            TimestampS => new Timestamps(name, rows, 10_000_000, 1),
            TimestampNs => new Timestamps(name, rows, 1, 100),
            Date => new Numbers<int, DateTime>(name, rows, v => new DateTime(s_epochTicks + (v * TimeSpan.TicksPerDay), DateTimeKind.Unspecified), DateTimes),
            Boolean => new Booleans(name),
            _ => textAsArrow ? new Utf8Strings(name, rows) : new Strings(name, rows),
        };

        public abstract void Append(IntPtr data, ulong* validity, int size);

        public abstract DataFrameColumn Build();

        protected static bool Valid(ulong* validity, int row) => validity == null || (validity[row >> 6] & (1UL << (row & 63))) != 0;

        protected static DataFrameColumn DateTimes(string n, ReadOnlyMemory<byte> b, ReadOnlyMemory<byte> m, int l, int c) => new DateTimeDataFrameColumn(n, b, m, l, c);
    }

    /// <summary>
    /// Values of a fixed width go straight into the byte buffer the column will own (sized from the row
    /// count, so not grown or copied at the end when that was right); validity is Arrow's bitmap, which
    /// has DuckDB's bit order, so it is copied a byte at a time.
    /// </summary>
    private abstract class FixedWidth<TOut>(string name, int rows, Func<string, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, int, int, DataFrameColumn> create) : Column(name)
        where TOut : unmanaged
    {
        private byte[] _bytes = ColumnMemory.AllocateUninitialized<byte>(Math.Max(rows, 1) * sizeof(TOut));
        private byte[] _valid = ColumnMemory.Allocate<byte>((Math.Max(rows, 1) + 7) / 8);
        private int _nulls;

        protected int Count { get; private set; }

        public override void Append(IntPtr data, ulong* validity, int size)
        {
            if ((Count + size) * sizeof(TOut) > _bytes.Length)
            {
                var rows = Math.Max(Count + size, Count * 2);
                _bytes = ColumnMemory.Resize(_bytes, rows * sizeof(TOut));
                _valid = ColumnMemory.Resize(_valid, (rows + 7) / 8);
            }

            var values = MemoryMarshal.Cast<byte, TOut>(_bytes.AsSpan()).Slice(Count, size);
            Copy(data, validity, values);
            var nulls = MarkValid(validity, size);
            if (nulls > 0)
            {
                // A null slot holds whatever DuckDB left there: zero it.
                for (var i = 0; i < size; i++)
                {
                    values[i] = Valid(validity, i) ? values[i] : default;
                }
            }

            _nulls += nulls;
            Count += size;
        }

        public override DataFrameColumn Build() =>
            create(Name, _bytes.AsMemory(0, Count * sizeof(TOut)), _valid.AsMemory(0, (Count + 7) / 8), Count, _nulls);

        /// <summary>Writes the chunk's values into <paramref name="output"/>, converting only valid ones (a null slot may hold anything).</summary>
        protected abstract void Copy(IntPtr data, ulong* validity, Span<TOut> output);

        /// <summary>Sets the bitmap bits of the chunk's rows; returns how many are null.</summary>
        private int MarkValid(ulong* validity, int size)
        {
            var (start, end) = (Count, Count + size);
            var row = start;
            var bitmap = _valid.AsSpan();
            if (start % 8 == 0)
            {
                var whole = size / 8;
                var target = bitmap.Slice(start / 8, whole);
                if (validity == null)
                {
                    target.Fill(0xFF);
                }
                else
                {
                    new ReadOnlySpan<byte>(validity, whole).CopyTo(target);
                }

                row += whole * 8;
            }

            for (; row < end; row++)
            {
                if (Valid(validity, row - start))
                {
                    bitmap[row >> 3] |= (byte)(1 << (row & 7));
                }
            }

            if (validity == null)
            {
                return 0;
            }

            var present = 0;
            for (var i = 0; i < (size + 63) / 64; i++)
            {
                var word = validity[i];
                present += System.Numerics.BitOperations.PopCount(size - (i * 64) >= 64 ? word : word & ((1UL << (size - (i * 64))) - 1));
            }

            return size - present;
        }
    }

    /// <summary>Numbers: copied as a block when DuckDB's type is the column's, else converted one by one.</summary>
    private sealed class Numbers<TIn, TOut>(string name, int rows, Func<TIn, TOut> convert, Func<string, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, int, int, DataFrameColumn> create) : FixedWidth<TOut>(name, rows, create)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        protected override void Copy(IntPtr data, ulong* validity, Span<TOut> output)
        {
            var source = (TIn*)data;
            if (typeof(TIn) == typeof(TOut))
            {
                new ReadOnlySpan<TOut>((TOut*)source, output.Length).CopyTo(output);
                return;
            }

            for (var i = 0; i < output.Length; i++)
            {
                output[i] = Valid(validity, i) ? convert(source[i]) : default;
            }
        }
    }

    /// <summary>Timestamps (counts of a unit since 1970) as DateTime ticks, unspecified kind.</summary>
    private sealed class Timestamps(string name, int rows, long multiply, long divide) : FixedWidth<DateTime>(name, rows, DateTimes)
    {
        protected override void Copy(IntPtr data, ulong* validity, Span<DateTime> output)
        {
            var source = (long*)data;
            var ticks = MemoryMarshal.Cast<DateTime, long>(output);
            for (var i = 0; i < ticks.Length; i++)
            {
                // An unspecified DateTime is its ticks. A null slot may hold anything: it is zeroed afterwards.
                var value = s_epochTicks + (divide == 1 ? source[i] * multiply : source[i] / divide);
                ticks[i] = (ulong)value <= (ulong)DateTime.MaxValue.Ticks || !Valid(validity, i)
                    ? value
                    : throw new InvalidDataException($"column '{Name}': timestamp {source[i]} is outside .NET's DateTime range (years 1 to 9999).");
            }
        }
    }

    private sealed class Booleans(string name) : Column(name)
    {
        private readonly List<bool?> _values = [];

        public override void Append(IntPtr data, ulong* validity, int size)
        {
            var source = (byte*)data;
            for (var i = 0; i < size; i++)
            {
                _values.Add(Valid(validity, i) ? source[i] != 0 : null);
            }
        }

        public override DataFrameColumn Build() => new BooleanDataFrameColumn(Name, _values);
    }

    private sealed class Strings(string name, int rows) : Column(name)
    {
        private readonly List<string?> _values = new(rows);
        private readonly Dictionary<(ulong, ulong), string> _inline = [];

        public override void Append(IntPtr data, ulong* validity, int size)
        {
            var source = (byte*)data;
            for (var i = 0; i < size; i++)
            {
                if (!Valid(validity, i))
                {
                    _values.Add(null);
                    continue;
                }

                var item = source + (i * 16);
                var length = *(uint*)item;
                if (length <= 12)
                {
                    var key = (*(ulong*)item, *(ulong*)(item + 8));
                    if (!_inline.TryGetValue(key, out var text))
                    {
                        text = Encoding.UTF8.GetString(item + 4, (int)length);
                        if (_inline.Count < 100_000)
                        {
                            _inline[key] = text;
                        }
                    }

                    _values.Add(text);
                }
                else
                {
                    _values.Add(Encoding.UTF8.GetString(*(byte**)(item + 8), (int)length));
                }
            }
        }

        public override DataFrameColumn Build() => new StringDataFrameColumn(Name, _values);
    }

    /// <summary>Text kept as UTF-8: the bytes of every value one after another, offsets (in the byte buffer the column keeps), and Arrow's validity bitmap.</summary>
    private sealed class Utf8Strings(string name, int rows) : Column(name)
    {
        private byte[] _bytes = ColumnMemory.AllocateUninitialized<byte>(Math.Max(16, rows * 4));
        private byte[] _offsets = ColumnMemory.Allocate<byte>((Math.Max(rows, 1) + 1) * sizeof(int));
        private byte[] _valid = ColumnMemory.Allocate<byte>((Math.Max(rows, 1) + 7) / 8);
        private int _count;
        private int _nulls;

        public override void Append(IntPtr data, ulong* validity, int size)
        {
            if ((_count + size + 1) * sizeof(int) > _offsets.Length)
            {
                var rows = Math.Max(_count + size + 1, _count * 2);
                _offsets = ColumnMemory.Resize(_offsets, rows * sizeof(int));
                _valid = ColumnMemory.Resize(_valid, (rows + 7) / 8);
            }

            var offsets = MemoryMarshal.Cast<byte, int>(_offsets.AsSpan());
            var bytes = _bytes.AsSpan();
            var bitmap = _valid.AsSpan();
            var source = (byte*)data;
            for (var i = 0; i < size; i++)
            {
                var row = _count + i;
                var end = offsets[row];
                if (Valid(validity, i))
                {
                    var item = source + (i * 16);
                    var length = (int)*(uint*)item;
                    var text = length <= 12 ? item + 4 : *(byte**)(item + 8);
                    if (end + length > bytes.Length)
                    {
                        _bytes = ColumnMemory.Resize(_bytes, Math.Max(bytes.Length * 2, end + length));
                        bytes = _bytes.AsSpan();
                    }

                    new ReadOnlySpan<byte>(text, length).CopyTo(bytes[end..]);
                    end += length;
                    bitmap[row >> 3] |= (byte)(1 << (row & 7));
                }
                else
                {
                    _nulls++;
                }

                offsets[row + 1] = end;
            }

            _count += size;
        }

        public override DataFrameColumn Build()
        {
            var end = MemoryMarshal.Cast<byte, int>(_offsets.AsSpan())[_count];
            return new ArrowStringDataFrameColumn(Name, _bytes.AsMemory(0, end), _offsets.AsMemory(0, (_count + 1) * sizeof(int)), _valid.AsMemory(0, (_count + 7) / 8), _count, _nulls);
        }
    }
}
