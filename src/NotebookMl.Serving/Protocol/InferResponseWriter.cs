using System.Text.Json;

namespace NotebookMl.Serving.Protocol;

/// <summary>Writes an Open Inference Protocol v2 infer response: model name and version, the request's id, and each output tensor.</summary>
public static class InferResponseWriter
{
    /// <summary>Writes the response for <paramref name="outputs"/> of version <paramref name="version"/> of <paramref name="model"/>.</summary>
    public static void Write(Utf8JsonWriter writer, string model, int version, string? id, IReadOnlyList<InferTensor> outputs)
    {
        writer.WriteStartObject();
        writer.WriteString("model_name", model);
        writer.WriteString("model_version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (id is not null)
        {
            writer.WriteString("id", id);
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
            writer.WriteStartArray("data");
            WriteData(writer, output.Data);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
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
