using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Drift;

/// <summary>Flights sent through a running endpoint as OIP v2 requests, the way callers would send traffic.</summary>
internal static class FlightTraffic
{
    private static readonly string s_flights = RepoPaths.Of("datasets", "flights-3m.parquet");
    private static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Sends the rows of <paramref name="query"/> (over the flights, named <c>source</c>) to <paramref name="model"/>, 500 a
    /// request: its first columns are <paramref name="inputs"/> (text as BYTES, numbers as FP32); with <paramref name="idPrefix"/>
    /// request k has the id PREFIX-k. Returns each row with its request id and its row in the request.
    /// </summary>
    public static async Task<List<(string? Id, int Row, object?[] Values)>> SendAsync(HttpClient http, string model, string query, string[] inputs, string? idPrefix = null)
    {
        using var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duckdb.Open();
        var rows = Core.Predictions.PredictionLogFiles.Rows(duckdb, $"WITH source AS (SELECT * FROM '{s_flights}') {query}");
        var sent = new List<(string?, int, object?[])>();
        foreach (var (chunk, k) in rows.Chunk(500).Select((c, k) => (c, k)))
        {
            var id = idPrefix is null ? null : $"{idPrefix}-{k}";
            var body = JsonSerializer.Serialize(new
            {
                id,
                inputs = inputs.Select((name, i) => chunk[0][i] is string
                    ? (object)new { name, datatype = "BYTES", shape = new[] { chunk.Length, 1 }, data = chunk.Select(r => r[i]) }
                    : new { name, datatype = "FP32", shape = new[] { chunk.Length, 1 }, data = chunk.Select(r => Convert.ToDouble(r[i], CultureInfo.InvariantCulture)) }),
            }, s_json);
            var answer = await http.PostAsync($"/v2/models/{model}/infer", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            sent.AddRange(chunk.Select((r, row) => (id, row, r)));
        }

        return sent;
    }
}
