using System.Text.Json;
using NotebookMl.Core.Registry;

namespace NotebookMl.Serving.Protocol;

/// <summary>
/// Reads an Open Inference Protocol v2 infer request (JSON): <c>id</c>, <c>inputs</c> (each with name, datatype,
/// shape and <c>data</c>, flat or nested) and the <c>outputs</c> asked for; then checks it against the model's
/// signature (<see cref="InferRequestValidator"/>). <c>null</c> elements of FP32/FP64 inputs are missing values
/// (NaN). Anything else is an <see cref="InferenceException"/> (400) naming the input.
/// </summary>
public static class InferRequestReader
{
    /// <summary>Parses <paramref name="body"/> for a model with <paramref name="signature"/>.</summary>
    public static InferRequest Read(ReadOnlyMemory<byte> body, ModelSignature signature, string model) =>
        InferRequestValidator.Validate(Parse(body, signature, model), signature, model);

    private static InferRequest Parse(ReadOnlyMemory<byte> body, ModelSignature signature, string model)
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

            var id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw Bad("'id' must be a string.") : null;
            if (!root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
            {
                throw Bad($"the request has no 'inputs' list; {model} takes {InferRequestValidator.Describe(signature.Inputs)}.");
            }

            var inputs = inputsElement.EnumerateArray().Select(input => ReadTensor(input, signature, model)).ToArray();
            var outputs = new List<string>();
            if (root.TryGetProperty("outputs", out var outputsElement))
            {
                foreach (var output in outputsElement.ValueKind == JsonValueKind.Array ? outputsElement.EnumerateArray() : throw Bad("'outputs' must be a list of {\"name\": …}."))
                {
                    outputs.Add(output.ValueKind == JsonValueKind.Object && output.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw Bad("each of 'outputs' needs a 'name'."));
                }
            }

            return new InferRequest(id, inputs, outputs);
        }
    }

    private static InferTensor ReadTensor(JsonElement input, ModelSignature signature, string model)
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
        if (!input.TryGetProperty("data", out var data))
        {
            throw Bad($"input '{name}' has no 'data'.");
        }

        return new InferTensor(name, datatype, shape, Elements(name, datatype, data));
    }

    private static Array Elements(string name, string datatype, JsonElement data)
    {
        var flat = new List<JsonElement>();
        Flatten(data, flat);
        return datatype switch
        {
            "FP32" => flat.Select((e, i) => e.ValueKind == JsonValueKind.Null ? float.NaN : e.ValueKind == JsonValueKind.Number ? e.GetSingle() : throw NotA(name, i, e, "number")).ToArray(),
            "FP64" => flat.Select((e, i) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw NotA(name, i, e, "number")).ToArray(),
            "INT32" => flat.Select((e, i) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : throw NotA(name, i, e, "32-bit integer")).ToArray(),
            "INT64" => flat.Select((e, i) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : throw NotA(name, i, e, "64-bit integer")).ToArray(),
            "BOOL" => flat.Select((e, i) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw NotA(name, i, e, "true or false")).ToArray(),
            "BYTES" => flat.Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw NotA(name, i, e, "string")).ToArray(),
            _ => throw Bad($"input '{name}' has datatype {datatype}, which this server does not serve; use FP32, FP64, INT32, INT64, BOOL or BYTES."),
        };
    }

    private static void Flatten(JsonElement element, List<JsonElement> into)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(element);
        }
    }

    private static InferenceException NotA(string name, int index, JsonElement element, string what) =>
        Bad($"input '{name}' element {index} is {(element.ValueKind == JsonValueKind.String ? $"\"{element.GetString()}\"" : element.GetRawText())}; expected a {what}.");

    private static InferenceException Bad(string message) => new(400, message);
}
