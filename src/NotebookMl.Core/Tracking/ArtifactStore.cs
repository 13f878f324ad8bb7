using System.Security.Cryptography;

namespace NotebookMl.Core.Tracking;

/// <summary>
/// Artifact contents, content-addressed: <c>.notebookml/artifacts/sha256/ab/cdef…</c>. The same bytes
/// logged twice are stored once; every read is checked against the hash.
/// </summary>
internal sealed class ArtifactStore(string folder)
{
    /// <summary>Stores <paramref name="source"/>'s bytes; returns their hash and size.</summary>
    public (string Sha256, long Size) Put(Stream source)
    {
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".incoming-{Guid.NewGuid():N}");
        string hash;
        long size;
        using (var file = File.Create(temporary))
        using (var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                hasher.AppendData(buffer, 0, read);
                file.Write(buffer, 0, read);
            }

            file.Flush(flushToDisk: true);
            size = file.Length;
            hash = Convert.ToHexStringLower(hasher.GetHashAndReset());
        }

        var target = PathOf(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(temporary);
        }
        else
        {
            File.Move(temporary, target, overwrite: true);
        }

        return (hash, size);
    }

    /// <summary>The bytes stored under <paramref name="sha256"/>, checked; a changed or missing file is a clear error.</summary>
    public byte[] Read(string sha256, string describe)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{describe}: its content {path} is missing from the artifact store.");
        }

        var bytes = File.ReadAllBytes(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != sha256)
        {
            throw new InvalidDataException($"{describe}: content is corrupt (sha256 {actual}, recorded {sha256}); {path} was changed after it was logged.");
        }

        return bytes;
    }

    /// <summary>Removes the content stored under <paramref name="sha256"/>.</summary>
    public void Delete(string sha256)
    {
        var path = PathOf(sha256);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>Where <paramref name="sha256"/>'s content lives.</summary>
    public string PathOf(string sha256) => Path.Combine(folder, "sha256", sha256[..2], sha256[2..]);
}
