using System.Text.Json;

namespace NotebookMl.Serving.Protocol;

/// <summary>Writes an Open Inference Protocol v2 infer response: model name and version, the request's id, and each output tensor.</summary>
public static class InferResponseWriter
{
    /// <summary>
    /// Writes the response for <paramref name="outputs"/> of version <paramref name="version"/> of <paramref name="model"/>; outputs
    /// for which <paramref name="binary"/> holds get <c>"parameters": {"binary_data_size": N}</c> instead of <c>data</c>, and their
    /// raw bytes are returned, in order, to follow the JSON.
    /// </summary>
    public static IReadOnlyList<byte[]> Write(Utf8JsonWriter writer, string model, int version, string? id, IReadOnlyList<InferTensor> outputs, Func<string, bool>? binary = null, string? fallback = null)
    {
        var raw = new List<byte[]>();
        writer.WriteStartObject();
        writer.WriteString("model_name", model);
        writer.WriteString("model_version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (id is not null)
        {
            writer.WriteString("id", id);
        }

        if (fallback is not null)
        {
            writer.WriteStartObject("parameters");
            writer.WriteString("fallback", fallback);
            writer.WriteEndObject();
        }

        writer.WriteStartArray("outputs");
        foreach (var output in outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("datatype", output.DataType);
            writer.WriteStartArray("shape");
            foreach (var dimension in output.Shape)
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            if (binary?.Invoke(output.Name) == true)
            {
                var bytes = RawTensors.Encode(output.Data);
                raw.Add(bytes);
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", bytes.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray("data");
                WriteData(writer, output.Data);
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return raw;
    }

    private static void WriteData(Utf8JsonWriter writer, Array data)
    {
        switch (data)
        {
            case float[] floats:
                foreach (var value in floats)
                {
                    if (float.IsFinite(value)) { writer.WriteNumberValue(value); } else { writer.WriteNullValue(); }
                }

                break;
            case double[] doubles:
                foreach (var value in doubles)
                {
                    if (double.IsFinite(value)) { writer.WriteNumberValue(value); } else { writer.WriteNullValue(); }
                }

                break;
            case long[] longs:
                foreach (var value in longs) { writer.WriteNumberValue(value); }
                break;
            case int[] ints:
                foreach (var value in ints) { writer.WriteNumberValue(value); }
                break;
            case bool[] bools:
                foreach (var value in bools) { writer.WriteBooleanValue(value); }
                break;
            case string[] strings:
                foreach (var value in strings) { writer.WriteStringValue(value); }
                break;
        }
    }
}
