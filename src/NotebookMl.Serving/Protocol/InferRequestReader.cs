using System.Text.Json;
using NotebookMl.Core.Registry;

namespace NotebookMl.Serving.Protocol;

/// <summary>
/// Reads an Open Inference Protocol v2 infer request (JSON): <c>id</c>, <c>inputs</c> (each with name, datatype,
/// shape and <c>data</c>, flat or nested) and the <c>outputs</c> asked for; then checks it against the model's
/// signature (<see cref="InferRequestValidator"/>). <c>null</c> elements of FP32/FP64 inputs are missing values
/// (NaN). Anything else is an <see cref="InferenceException"/> (400) naming the input.
/// With Triton's binary tensor extension the body is the JSON (its length in the <c>Inference-Header-Content-Length</c>
/// header) followed by the raw bytes of each input whose <c>parameters</c> give a <c>binary_data_size</c>, in order
/// (<see cref="RawTensors"/>); outputs may be asked for as binary too.
/// </summary>
public static class InferRequestReader
{
    /// <summary>Parses <paramref name="body"/> for a model with <paramref name="signature"/>; <paramref name="headerLength"/> is the binary extension's JSON length.</summary>
    public static InferRequest Read(ReadOnlyMemory<byte> body, ModelSignature signature, string model, int? headerLength = null) =>
        Read(body, RequestSignature.Of(signature), model, headerLength);

    /// <summary>Parses <paramref name="body"/> for a request that may omit online features and carry their join keys.</summary>
    public static InferRequest Read(ReadOnlyMemory<byte> body, RequestSignature signature, string model, int? headerLength = null)
    {
        if (headerLength is { } length && (length <= 0 || length > body.Length))
        {
            throw Bad($"Inference-Header-Content-Length is {length} but the body has {body.Length} bytes.");
        }

        var binary = new Binary(headerLength is { } n ? body[n..] : ReadOnlyMemory<byte>.Empty);
        var request = Parse(headerLength is { } json ? body[..json] : body, signature.Accepted, model, binary);
        if (binary.Offset != binary.Data.Length)
        {
            throw Bad($"the body has {binary.Data.Length - binary.Offset} bytes of binary data that no input's binary_data_size accounts for.");
        }

        return InferRequestValidator.Validate(request, signature, model);
    }

    private static InferRequest Parse(ReadOnlyMemory<byte> body, ModelSignature signature, string model, Binary binary)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw Bad($"the request body is not JSON: {e.Message.Split(" Path:", 2)[0]}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad("the request body must be a JSON object with 'inputs'.");
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null
                ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw Bad("'id' must be a string.")
                : null;
            if (!root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
            {
                throw Bad($"the request has no 'inputs' list; {model} takes {InferRequestValidator.Describe(signature.Inputs)}.");
            }

            var inputs = inputsElement.EnumerateArray().Select(input => ReadTensor(input, signature, model, binary)).ToArray();
            var outputs = new List<string>();
            var binaryOutputs = new HashSet<string>(StringComparer.Ordinal);
            if (root.TryGetProperty("outputs", out var outputsElement))
            {
                foreach (var output in outputsElement.ValueKind == JsonValueKind.Array ? outputsElement.EnumerateArray() : throw Bad("'outputs' must be a list of {\"name\": …}."))
                {
                    var name = output.ValueKind == JsonValueKind.Object && output.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw Bad("each of 'outputs' needs a 'name'.");
                    outputs.Add(name);
                    if (Parameter(output, "binary_data") is { ValueKind: JsonValueKind.True })
                    {
                        binaryOutputs.Add(name);
                    }
                }
            }

            return new InferRequest(id, inputs, outputs) { BinaryOutputs = binaryOutputs, AllOutputsBinary = Parameter(root, "binary_data_output") is { ValueKind: JsonValueKind.True } };
        }
    }

    private static InferTensor ReadTensor(JsonElement input, ModelSignature signature, string model, Binary binary)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            throw Bad("each input needs a 'name', a 'datatype', a 'shape' and 'data'.");
        }

        var name = nameElement.GetString()!;
        var expected = signature.Inputs.FirstOrDefault(i => i.Name == name)
            ?? throw Bad($"input '{name}' is not an input of {model}; it takes {InferRequestValidator.Describe(signature.Inputs)}.");
        var datatype = input.TryGetProperty("datatype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : throw Bad($"input '{name}' has no 'datatype'; expected {expected.DataType}.");
        if (datatype != expected.DataType)
        {
            throw Bad($"input '{name}' has datatype {datatype}; {model} expects {expected.DataType}.");
        }

        var shape = input.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(e => e.TryGetInt64(out var v) && v >= 0 ? v : throw Bad($"input '{name}' has a shape with '{e}'; dimensions are whole numbers, 0 or more.")).ToArray()
            : throw Bad($"input '{name}' has no 'shape'; expected {InferRequestValidator.Shape(expected.Shape)}.");
        InferRequestValidator.CheckShape(name, shape, expected, model);
        if (Parameter(input, "binary_data_size") is { } size)
        {
            var bytes = size.TryGetInt32(out var count) && count >= 0 ? count : throw Bad($"input '{name}' has binary_data_size {size}; expected a number of bytes.");
            if (binary.Offset + bytes > binary.Data.Length)
            {
                throw Bad($"input '{name}' has binary_data_size {bytes} but only {binary.Data.Length - binary.Offset} bytes of binary data are left (send the JSON's length as Inference-Header-Content-Length).");
            }

            var raw = binary.Data.Slice(binary.Offset, bytes);
            binary.Offset += bytes;
            return new InferTensor(name, datatype, shape, RawTensors.Decode(name, datatype, raw.Span));
        }

        if (!input.TryGetProperty("data", out var data))
        {
            throw Bad($"input '{name}' has no 'data'.");
        }

        return new InferTensor(name, datatype, shape, Elements(name, datatype, data));
    }

    private static Array Elements(string name, string datatype, JsonElement data) => datatype switch
    {
        "FP32" => Fill<float>(name, data, "number", e => e.ValueKind == JsonValueKind.Null ? float.NaN : e.ValueKind == JsonValueKind.Number ? e.GetSingle() : null),
        "FP64" => Fill<double>(name, data, "number", e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null),
        "INT32" => Fill<int>(name, data, "32-bit integer", e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : null),
        "INT64" => Fill<long>(name, data, "64-bit integer", e => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : null),
        "BOOL" => Fill<bool>(name, data, "true or false", e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null),
        "BYTES" => FillText(name, data),
        _ => throw Bad($"input '{name}' has datatype {datatype}, which this server does not serve; use FP32, FP64, INT32, INT64, BOOL or BYTES."),
    };

    // Walks flat or nested data once, straight into a typed buffer: no list of elements, no boxing.
    private static T[] Fill<T>(string name, JsonElement data, string what, Func<JsonElement, T?> convert)
        where T : struct
    {
        var values = new List<T>(data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : 1);
        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
            }
            else
            {
                values.Add(convert(element) ?? throw NotA(name, values.Count, element, what));
            }
        }

        Walk(data);
        return [.. values];
    }

    private static string[] FillText(string name, JsonElement data)
    {
        var values = new List<string>(data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : 1);
        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
            }
            else
            {
                values.Add(element.ValueKind == JsonValueKind.String ? element.GetString()! : throw NotA(name, values.Count, element, "string"));
            }
        }

        Walk(data);
        return [.. values];
    }

    private static JsonElement? Parameter(JsonElement element, string name) =>
        element.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) ? value : null;

    private sealed class Binary(ReadOnlyMemory<byte> data)
    {
        public ReadOnlyMemory<byte> Data { get; } = data;

        public int Offset { get; set; }
    }

    private static InferenceException NotA(string name, int index, JsonElement element, string what) =>
        Bad($"input '{name}' element {index} is {(element.ValueKind == JsonValueKind.String ? $"\"{element.GetString()}\"" : element.GetRawText())}; expected a {what}.");

    private static InferenceException Bad(string message) => new(400, message);
}
