using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Data;

/// <summary>
/// Turns query results (a DuckDB or SQLite data reader) into a <see cref="DataFrame"/>, nulls kept.
/// Numbers and times are read unboxed into arrays and handed to the columns as whole buffers
/// (appending value by value is several times slower at millions of rows).
/// </summary>
public static class DataFrameReader
{
    /// <summary>Reads every row of <paramref name="reader"/>; column types follow the reader's field types.</summary>
    public static DataFrame Read(DbDataReader reader)
    {
        var builders = Enumerable.Range(0, reader.FieldCount).Select(i => Builder(reader.GetName(i), reader.GetFieldType(i), i)).ToArray();
        while (reader.Read())
        {
            foreach (var builder in builders)
            {
                builder.Add(reader);
            }
        }

        return new DataFrame(builders.Select(b => b.Build()));
    }

    /// <summary>Reads <paramref name="reader"/> as DataFrames of at most <paramref name="rows"/> rows each, one at a time (memory stays at one chunk).</summary>
    public static IEnumerable<DataFrame> ReadChunks(DbDataReader reader, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        while (true)
        {
            var builders = Enumerable.Range(0, reader.FieldCount).Select(i => Builder(reader.GetName(i), reader.GetFieldType(i), i)).ToArray();
            var count = 0;
            while (count < rows && reader.Read())
            {
                foreach (var builder in builders)
                {
                    builder.Add(reader);
                }

                count++;
            }

            if (count == 0)
            {
                yield break;
            }

            yield return new DataFrame(builders.Select(b => b.Build()));
            if (count < rows)
            {
                yield break;
            }
        }
    }

    private static IColumnBuilder Builder(string name, Type type, int ordinal) => type switch
    {
        _ when type == typeof(double) => new PrimitiveBuilder<double>(name, ordinal, r => r.GetDouble(ordinal), (n, b, m, l, c) => new DoubleDataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(long) => new PrimitiveBuilder<long>(name, ordinal, r => r.GetInt64(ordinal), (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(int) => new PrimitiveBuilder<int>(name, ordinal, r => r.GetInt32(ordinal), (n, b, m, l, c) => new Int32DataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(DateTime) => new PrimitiveBuilder<DateTime>(name, ordinal, r => r.GetDateTime(ordinal), (n, b, m, l, c) => new DateTimeDataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(float) => new PrimitiveBuilder<double>(name, ordinal, r => r.GetFloat(ordinal), (n, b, m, l, c) => new DoubleDataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong) || type == typeof(System.Numerics.BigInteger) =>
            new PrimitiveBuilder<long>(name, ordinal, r => Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture), (n, b, m, l, c) => new Int64DataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(decimal) => new PrimitiveBuilder<double>(name, ordinal, r => Convert.ToDouble(r.GetValue(ordinal), CultureInfo.InvariantCulture), (n, b, m, l, c) => new DoubleDataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(DateOnly) || type == typeof(DateTimeOffset) => new PrimitiveBuilder<DateTime>(name, ordinal, r => ToDateTime(r.GetValue(ordinal)), (n, b, m, l, c) => new DateTimeDataFrameColumn(n, b, m, l, c)),
        _ when type == typeof(bool) => new BooleanBuilder(name, ordinal),
        _ => new StringBuilderColumn(name, ordinal),
    };

    private static DateTime ToDateTime(object value) => value switch
    {
        DateTime d => d,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset d => d.UtcDateTime,
        _ => Convert.ToDateTime(value, CultureInfo.InvariantCulture),
    };

    private interface IColumnBuilder
    {
        void Add(DbDataReader reader);

        DataFrameColumn Build();
    }

    private sealed class PrimitiveBuilder<T>(string name, int ordinal, Func<DbDataReader, T> read, Func<string, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>, int, int, DataFrameColumn> create) : IColumnBuilder
        where T : unmanaged
    {
        private T[] _values = new T[1024];
        private byte[] _valid = new byte[128];
        private int _count;
        private int _nulls;

        public void Add(DbDataReader reader)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
                Array.Resize(ref _valid, _values.Length / 8);
            }

            if (reader.IsDBNull(ordinal))
            {
                _nulls++;
            }
            else
            {
                _values[_count] = read(reader);
                _valid[_count >> 3] |= (byte)(1 << (_count & 7));
            }

            _count++;
        }

        public DataFrameColumn Build() =>
            create(name, MemoryMarshal.AsBytes(_values.AsSpan(0, _count)).ToArray(), _valid.AsMemory(0, (_count + 7) / 8).ToArray(), _count, _nulls);
    }

    private sealed class BooleanBuilder(string name, int ordinal) : IColumnBuilder
    {
        private readonly List<bool?> _values = [];

        public void Add(DbDataReader reader) => _values.Add(reader.IsDBNull(ordinal) ? null : reader.GetBoolean(ordinal));

        public DataFrameColumn Build() => new BooleanDataFrameColumn(name, _values);
    }

    private sealed class StringBuilderColumn(string name, int ordinal) : IColumnBuilder
    {
        private readonly List<string?> _values = [];

        public void Add(DbDataReader reader) =>
            _values.Add(reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal) as string ?? Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture));

        public DataFrameColumn Build() => new StringDataFrameColumn(name, _values);
    }
}
