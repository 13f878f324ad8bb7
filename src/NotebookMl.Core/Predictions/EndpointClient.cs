using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;

namespace NotebookMl.Core.Predictions;

/// <summary>
/// Rows sent to a running endpoint over the Open Inference Protocol v2 (REST), a batch per request, as any client's traffic
/// would be: the endpoint answers, logs and monitors them. A request carries the inputs of the model's metadata that the
/// rows have; those it leaves out (a model's online features) the endpoint looks up itself.
/// </summary>
public sealed class EndpointClient
{
    private readonly HttpClient _http;
    private readonly string _path;
    private readonly string? _token;

    /// <summary>A client of <paramref name="model"/> (its default version, or <paramref name="version"/>) at <paramref name="endpoint"/>, sending <paramref name="token"/> when given.</summary>
    public EndpointClient(HttpClient http, Uri endpoint, string model, int? version = null, string? token = null)
    {
        if (token is not null && Net.PlainHttp.SendsInClear(endpoint))
        {
            throw new Options.InvalidOptionException(nameof(endpoint), $"{endpoint} is plain http to a host that is not loopback: the token would cross the network in clear; use https.");
        }

        (_http, _token) = (http, token);
        Endpoint = endpoint;
        _path = $"v2/models/{Uri.EscapeDataString(model)}" + (version is { } v ? $"/versions/{v.ToString(CultureInfo.InvariantCulture)}" : "");
    }

    /// <summary>The endpoint's base address.</summary>
    public Uri Endpoint { get; }

    /// <summary>The model's inputs as the endpoint declares them: name and datatype (FP32, INT64, BYTES, …).</summary>
    public async Task<IReadOnlyList<(string Name, string Datatype)>> InputsAsync(CancellationToken cancellationToken = default)
    {
        var metadata = await SendAsync(new HttpRequestMessage(HttpMethod.Get, _path), cancellationToken);
        return metadata["inputs"]!.AsArray().Select(i => ((string)i!["name"]!, (string)i["datatype"]!)).ToArray();
    }

    /// <summary>Sends <paramref name="rows"/> in one request with the <paramref name="inputs"/> they have; the answer's outputs, a column each.</summary>
    public async Task<IReadOnlyList<DataFrameColumn>> InferAsync(DataFrame rows, IReadOnlyList<(string Name, string Datatype)> inputs, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _path + "/infer") { Content = new StringContent(RequestJson(rows, inputs), Encoding.UTF8, "application/json") };
        var answer = await SendAsync(request, cancellationToken);
        return answer["outputs"]!.AsArray().Select(o => Column((string)o!["name"]!, (string)o["datatype"]!, o["data"]!.AsArray(), rows.Rows.Count)).ToArray();
    }

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(Endpoint, request.RequestUri!.ToString());
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? body = null;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Not JSON: the status says it.
        }

        if (!response.IsSuccessStatusCode || body is null)
        {
            var status = (int)response.StatusCode;
            throw new InvalidDataException($"{request.RequestUri} answered {status}: {(body?["error"] is { } error ? (string?)error : $"HTTP {status}")}{(status == 401 ? "; pass its token" : "")}.");
        }

        return body;
    }

    private static string RequestJson(DataFrame rows, IReadOnlyList<(string Name, string Datatype)> inputs)
    {
        var sent = inputs.Where(i => rows.Columns.Any(c => c.Name == i.Name)).ToArray();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            foreach (var (name, datatype) in sent)
            {
                var column = rows.Columns[name];
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("datatype", datatype);
                json.WriteStartArray("shape");
                json.WriteNumberValue(rows.Rows.Count);
                json.WriteNumberValue(1);
                json.WriteEndArray();
                json.WriteStartArray("data");
                for (long row = 0; row < column.Length; row++)
                {
                    Write(json, column[row], datatype, name);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter json, object? value, string datatype, string name)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case var _ when datatype == "BYTES":
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case var _ when datatype == "BOOL":
                json.WriteBooleanValue(Convert.ToBoolean(value, CultureInfo.InvariantCulture));
                break;
            case var _ when datatype is "INT8" or "INT16" or "INT32" or "INT64" or "UINT8" or "UINT16" or "UINT32" or "UINT64":
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case string text:
                throw new InvalidDataException($"column '{name}': '{text}' is text; the model takes {datatype}.");
            default:
                json.WriteNumberValue(Convert.ToDouble(value is DateTime time ? time.Ticks : value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static DataFrameColumn Column(string name, string datatype, JsonArray data, long rows)
    {
        if (data.Count != rows)
        {
            throw new InvalidDataException($"output '{name}': {data.Count} values for {rows} rows; the model gives one per row.");
        }

        return datatype switch
        {
            "BYTES" => new StringDataFrameColumn(name, data.Select(d => (string?)d)),
            "BOOL" => new BooleanDataFrameColumn(name, data.Select(d => (bool?)d)),
            "FP16" or "FP32" or "FP64" => new DoubleDataFrameColumn(name, data.Select(d => (double?)d)),
            _ => new Int64DataFrameColumn(name, data.Select(d => (long?)d)),
        };
    }
}
