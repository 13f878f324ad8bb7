using System.Security.Cryptography;
using System.Text;

namespace NotebookMl.Serving.Access;

/// <summary>The server's bearer token: an <c>Authorization: Bearer TOKEN</c> header is checked in constant time (both sides hashed first, so not even the length leaks).</summary>
internal sealed class BearerToken(string token)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether <paramref name="authorization"/> presents the token.</summary>
    public bool Matches(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim())), _expected);
}
