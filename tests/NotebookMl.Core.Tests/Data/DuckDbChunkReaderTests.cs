using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;

namespace NotebookMl.Core.Tests.Data;

/// <summary>Reading DuckDB results chunk by chunk gives what the data reader gives: every type, nulls, long strings, many chunks of uneven sizes, materialized or streamed.</summary>
public sealed class DuckDbChunkReaderTests
{
    [Theory]
    [InlineData(false, null)]
    [InlineData(false, 9230)]
    [InlineData(true, 0)]
    [InlineData(true, 100)]
    public void Chunks_and_the_data_reader_agree_on_every_value_and_null(bool textAsArrow, int? streamRows)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        const string sql = """
            SELECT i::BIGINT AS big, i::INTEGER AS int, i::SMALLINT AS small, (i % 100)::TINYINT AS tiny, i / 3.0 AS dbl, (i / 7.0)::FLOAT AS flt,
                   i % 2 = 0 AS flag,
                   CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMP '2001-01-01' + INTERVAL (i) MINUTE END AS ts,
                   DATE '2001-01-01' + (i % 365)::INTEGER AS day,
                   CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN 'a string longer than twelve bytes ' || i ELSE 'k' || (i % 50) END AS text,
                   CASE WHEN i % 11 = 0 THEN NULL ELSE i * 0.5::DOUBLE END AS maybe
            FROM range(10000) t(i)
            WHERE i % 13 <> 0
            """;

        // The filter leaves chunks of uneven sizes, so bitmaps are written from unaligned rows too.
        var chunked = DuckDbChunkReader.TryRead(connection, sql, textAsArrow, streamRows)!;
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var expected = DataFrameReader.Read(reader);

        Assert.Equal(expected.Columns.Select(c => (c.Name, c.DataType)), chunked.Columns.Select(c => (c.Name, c.DataType)));
        Assert.Equal(9230, chunked.Rows.Count);
        Assert.Equal(textAsArrow, chunked["text"] is ArrowStringDataFrameColumn);
        foreach (var column in expected.Columns)
        {
            Assert.Equal(column.NullCount, chunked[column.Name].NullCount);
            for (long row = 0; row < expected.Rows.Count; row++)
            {
                Assert.Equal(column[row], chunked[column.Name][row]);
            }
        }
    }

    [Fact]
    public void A_failing_query_or_an_unsupported_type_reads_nothing()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();

        Assert.Null(DuckDbChunkReader.TryRead(connection, "SELECT nope FROM range(3)"));
        Assert.Null(DuckDbChunkReader.TryRead(connection, "SELECT 1.5 AS decimal_value"));
    }
}
