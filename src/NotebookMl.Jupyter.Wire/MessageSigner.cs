using System.Security.Cryptography;
using System.Text;

namespace NotebookMl.Jupyter.Wire;

/// <summary>HMAC-SHA256 signatures over header, parent header, metadata and content; an empty key disables signing.</summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    /// <summary>Creates a signer for the connection file's key.</summary>
    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>The lowercase hex signature of the four JSON frames.</summary>
    public string Sign(IReadOnlyList<byte[]> frames)
    {
        if (_key.Length == 0)
        {
            return "";
        }

        using var hmac = new HMACSHA256(_key);
        foreach (var frame in frames)
        {
            hmac.TransformBlock(frame, 0, frame.Length, null, 0);
        }

        hmac.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(hmac.Hash!);
    }

    /// <summary>True when <paramref name="signature"/> matches, compared in constant time.</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> frames)
    {
        if (_key.Length == 0)
        {
            return true;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(frames)), Encoding.ASCII.GetBytes(signature));
    }
}
