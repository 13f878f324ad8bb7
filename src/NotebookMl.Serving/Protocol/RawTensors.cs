using System.Buffers.Binary;
using System.Text;

namespace NotebookMl.Serving.Protocol;

/// <summary>
/// Tensors as raw bytes, as gRPC's <c>raw_input_contents</c> and the binary tensor extension carry them: elements in
/// row-major order, little-endian; BOOL one byte each; BYTES as a 4-byte little-endian length before each element.
/// </summary>
public static class RawTensors
{
    /// <summary>The elements of a tensor sent as raw bytes.</summary>
    public static Array Decode(string name, string datatype, ReadOnlySpan<byte> bytes)
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

    /// <summary>A tensor's elements as raw bytes.</summary>
    public static byte[] Encode(Array data)
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

        return stream.ToArray();
    }

    private static InferenceException Unsupported(string name, string datatype) => Bad($"input '{name}' has datatype {datatype}, which this server does not serve; use FP32, FP64, INT32, INT64, BOOL or BYTES.");

    private static InferenceException Bad(string message) => new(400, message);
}
