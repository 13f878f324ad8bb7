using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using NotebookMl.Core.Data;
using NotebookMl.Core.Features;
using NotebookMl.Core.Features.Historical;

namespace NotebookMl.Core.Tests.Features;

/// <summary>Join keys read as UTF-8 bytes get the codes their strings get: every length, multi-byte text, nulls, values the view lacks.</summary>
public sealed class JoinKeyCodesTests
{
    [Fact]
    public void Utf8_entity_keys_get_the_codes_of_equal_view_strings()
    {
        // Given view keys of 0 to 20 bytes (some multi-byte, some sharing a 15-byte prefix) and entity rows
        // read from DuckDB as UTF-8, in many chunks, with nulls and keys the view lacks
        string[] keys = ["", "a", "SEA", "ÅÄÖ", "東京", "twelve bytes", "exactly15bytes!", "exactly15bytes!x", "exactly15bytes?", "a rather long airport name", "it's"];
        var view = new StringDataFrameColumn("key", keys.Concat(keys.Reverse()).Append(null));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var literals = string.Join(", ", keys.Append("missing").Append("exactly15bytes.").Select(k => "'" + k.Replace("'", "''", StringComparison.Ordinal) + "'"));
        var entity = DuckDbChunkReader.TryRead(connection, $"SELECT CASE WHEN i % 17 = 0 THEN NULL ELSE ([{literals}])[1 + (i % 13)::INTEGER] END AS key FROM range(10000) t(i)", textAsArrow: true)!;

        // When both are encoded
        var (viewCodes, entityCodes, count) = JoinKeyCodes.Encode(view, entity["key"]);

        // Then equal strings share a code and everything else is -1
        Assert.IsType<ArrowStringDataFrameColumn>(entity["key"]);
        Assert.Equal(keys.Length, count);
        var byText = new Dictionary<string, int>();
        for (var row = 0; row < view.Length; row++)
        {
            if (view[row] is { } text)
            {
                Assert.Equal(byText.TryAdd(text, viewCodes[row]) ? viewCodes[row] : byText[text], viewCodes[row]);
            }
            else
            {
                Assert.Equal(-1, viewCodes[row]);
            }
        }

        for (var row = 0; row < entity.Rows.Count; row++)
        {
            var expected = entity["key"][row] is string text && byText.TryGetValue(text, out var code) ? code : -1;
            Assert.Equal(expected, entityCodes[row]);
        }

        Assert.Contains(-1, entityCodes);
        Assert.Equal(keys.Length, entityCodes.Where(c => c >= 0).Distinct().Count());
    }
}
