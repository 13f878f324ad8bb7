using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;

namespace NotebookMl.Serving.Tests;

/// <summary>A real HTTP client of the endpoint, and the infer requests a KServe client would send for rows of a DataFrame.</summary>
public sealed class ServingClient(Uri address, string? token = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<(int Status, JsonNode? Body)> GetAsync(string path) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<(int Status, JsonNode? Body)> PostAsync(string path, string body) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpRequestMessage request)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    public async Task<string> TextAsync(string path) => await _http.GetStringAsync(path);

    /// <summary>An infer request body for <paramref name="rows"/>: distance (FP32), origin and destination (BYTES), each [N, 1], nested or flat.</summary>
    public static string InferBody(DataFrame rows, string? id = null, bool nested = false, params string[] outputs)
    {
        var count = (int)rows.Rows.Count;
        JsonNode Data(Func<int, JsonNode?> value) => nested
            ? new JsonArray(Enumerable.Range(0, count).Select(r => (JsonNode?)new JsonArray(value(r))).ToArray())
            : new JsonArray(Enumerable.Range(0, count).Select(value).ToArray());
        var inputs = new JsonArray(
            Input("distance", "FP32", count, Data(r => JsonValue.Create(Convert.ToSingle(rows["distance"][r], CultureInfo.InvariantCulture)))),
            Input("origin", "BYTES", count, Data(r => JsonValue.Create((string?)rows["origin"][r]))),
            Input("destination", "BYTES", count, Data(r => JsonValue.Create((string?)rows["destination"][r]))));
        var body = new JsonObject { ["inputs"] = inputs };
        if (id is not null)
        {
            body["id"] = id;
        }

        if (outputs.Length > 0)
        {
            body["outputs"] = new JsonArray(outputs.Select(o => (JsonNode?)new JsonObject { ["name"] = o }).ToArray());
        }

        return body.ToJsonString();
    }

    private static JsonObject Input(string name, string datatype, int rows, JsonNode data) =>
        new() { ["name"] = name, ["datatype"] = datatype, ["shape"] = new JsonArray(rows, 1), ["data"] = data };

    public void Dispose() => _http.Dispose();
}
