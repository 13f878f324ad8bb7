using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookMl.Jupyter.Wire;

/// <summary>Encodes and decodes the frames of the Jupyter wire protocol (identities, <c>&lt;IDS|MSG&gt;</c>, signature, JSON parts, buffers).</summary>
public sealed class WireFormat(MessageSigner signer)
{
    private static readonly byte[] s_delimiter = "<IDS|MSG>"u8.ToArray();
    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The frames for <paramref name="message"/>, signed.</summary>
    public List<byte[]> Encode(JupyterMessage message)
    {
        byte[][] parts = [Json(message.Header), Json(message.ParentHeader), Json(message.Metadata), Json(message.Content)];
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(s_delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(parts)));
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Decodes received frames; false when the message is malformed or its signature is wrong.</summary>
    public bool TryDecode(IReadOnlyList<byte[]> frames, out JupyterMessage message, out string problem)
    {
        message = null!;
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(s_delimiter))
            {
                delimiter = i;
                break;
            }
        }

        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            problem = "malformed message (no <IDS|MSG> delimiter or missing parts)";
            return false;
        }

        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        if (!signer.Verify(Encoding.ASCII.GetString(frames[delimiter + 1]), parts))
        {
            problem = "invalid signature";
            return false;
        }

        try
        {
            message = new JupyterMessage(
                frames.Take(delimiter).ToArray(),
                Parse(parts[0]),
                Parse(parts[1]),
                Parse(parts[2]),
                Parse(parts[3]),
                frames.Skip(delimiter + 6).ToArray());
        }
        catch (JsonException e)
        {
            problem = $"invalid JSON ({e.Message})";
            return false;
        }

        problem = "";
        return true;
    }

    private static byte[] Json(JsonObject value) => Encoding.UTF8.GetBytes(value.ToJsonString(s_json));

    private static JsonObject Parse(byte[] bytes) =>
        bytes.Length == 0 ? [] : JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("expected a JSON object");
}
