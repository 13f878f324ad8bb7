using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using NotebookMl.Serving.Grpc.V2;
using NotebookMl.Serving.Protocol;

namespace NotebookMl.Serving.Grpc;

/// <summary>
/// Tensors between the gRPC messages and <see cref="InferTensor"/>: typed <c>contents</c> (fp32_contents, int64_contents,
/// bytes_contents, …) or <c>raw_input_contents</c> (little-endian elements; BYTES as a 4-byte length before each element),
/// as KServe and Triton clients send them. A response answers in the form the request used.
/// </summary>
internal static class GrpcTensors
{
    public static InferRequest Read(ModelInferRequest request)
    {
        var raw = request.RawInputContents.Count > 0;
        if (raw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw Bad($"the request has {request.RawInputContents.Count} raw_input_contents for {request.Inputs.Count} inputs; give one per input, or use contents.");
        }

        var inputs = request.Inputs.Select((input, i) => new InferTensor(input.Name, input.Datatype, [.. input.Shape],
            raw ? FromRaw(input.Name, input.Datatype, request.RawInputContents[i].Span) : FromContents(input.Name, input.Datatype, input.Contents ?? new InferTensorContents()))).ToArray();
        return new InferRequest(request.Id.Length > 0 ? request.Id : null, inputs, request.Outputs.Select(o => o.Name).ToArray());
    }

    public static ModelInferResponse Write(string model, int version, InferRequest request, IReadOnlyList<InferTensor> outputs, bool raw)
    {
        var response = new ModelInferResponse { ModelName = model, ModelVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture), Id = request.Id ?? "" };
        foreach (var output in outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.DataType };
            tensor.Shape.AddRange(output.Shape);
            if (raw)
            {
                response.RawOutputContents.Add(ToRaw(output.Data));
            }
            else
            {
                tensor.Contents = ToContents(output.Data);
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    private static Array FromContents(string name, string datatype, InferTensorContents contents) => datatype switch
    {
        "FP32" => contents.Fp32Contents.ToArray(),
        "FP64" => contents.Fp64Contents.ToArray(),
        "INT32" => contents.IntContents.ToArray(),
        "INT64" => contents.Int64Contents.ToArray(),
        "BOOL" => contents.BoolContents.ToArray(),
        "BYTES" => contents.BytesContents.Select(b => b.ToStringUtf8()).ToArray(),
        _ => throw Unsupported(name, datatype),
    };

    private static Array FromRaw(string name, string datatype, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        T[] Fixed<T>(int size, Func<byte[], int, T> read)
        {
            if (copy.Length % size != 0)
            {
                throw Bad($"input '{name}' has {copy.Length} raw bytes, not a whole number of {size}-byte {datatype} elements.");
            }

            return Enumerable.Range(0, copy.Length / size).Select(i => read(copy, i * size)).ToArray();
        }

        switch (datatype)
        {
            case "FP32": return Fixed(4, (b, at) => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(at)));
            case "FP64": return Fixed(8, (b, at) => BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan(at)));
            case "INT32": return Fixed(4, (b, at) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(at)));
            case "INT64": return Fixed(8, (b, at) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(at)));
            case "BOOL": return Fixed(1, (b, at) => b[at] != 0);
            case "BYTES":
                var strings = new List<string>();
                for (var at = 0; at < bytes.Length;)
                {
                    var length = at + 4 <= bytes.Length ? (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]) : -1;
                    if (length < 0 || at + 4 + length > bytes.Length)
                    {
                        throw Bad($"input '{name}': its raw BYTES are cut short at byte {at}; each element is a 4-byte little-endian length, then that many bytes.");
                    }

                    strings.Add(Encoding.UTF8.GetString(bytes.Slice(at + 4, length)));
                    at += 4 + length;
                }

                return strings.ToArray();
            default:
                throw Unsupported(name, datatype);
        }
    }

    private static InferTensorContents ToContents(Array data)
    {
        var contents = new InferTensorContents();
        switch (data)
        {
            case float[] f: contents.Fp32Contents.AddRange(f); break;
            case double[] d: contents.Fp64Contents.AddRange(d); break;
            case int[] i: contents.IntContents.AddRange(i); break;
            case long[] l: contents.Int64Contents.AddRange(l); break;
            case bool[] b: contents.BoolContents.AddRange(b); break;
            case string[] s: contents.BytesContents.AddRange(s.Select(ByteString.CopyFromUtf8)); break;
        }

        return contents;
    }

    private static ByteString ToRaw(Array data)
    {
        using var stream = new MemoryStream();
        Span<byte> buffer = stackalloc byte[8];
        switch (data)
        {
            case float[] f: foreach (var v in f) { BinaryPrimitives.WriteSingleLittleEndian(buffer, v); stream.Write(buffer[..4]); } break;
            case double[] d: foreach (var v in d) { BinaryPrimitives.WriteDoubleLittleEndian(buffer, v); stream.Write(buffer[..8]); } break;
            case int[] i: foreach (var v in i) { BinaryPrimitives.WriteInt32LittleEndian(buffer, v); stream.Write(buffer[..4]); } break;
            case long[] l: foreach (var v in l) { BinaryPrimitives.WriteInt64LittleEndian(buffer, v); stream.Write(buffer[..8]); } break;
            case bool[] b: foreach (var v in b) { stream.WriteByte(v ? (byte)1 : (byte)0); } break;
            case string[] s:
                foreach (var v in s)
                {
                    var bytes = Encoding.UTF8.GetBytes(v);
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)bytes.Length);
                    stream.Write(buffer[..4]);
                    stream.Write(bytes);
                }

                break;
        }

        return ByteString.CopyFrom(stream.ToArray());
    }

    private static InferenceException Unsupported(string name, string datatype) => Bad($"input '{name}' has datatype {datatype}, which this server does not serve; use FP32, FP64, INT32, INT64, BOOL or BYTES.");

    private static InferenceException Bad(string message) => new(400, message);
}
