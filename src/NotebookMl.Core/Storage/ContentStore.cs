using System.Security.Cryptography;

namespace NotebookMl.Core.Storage;

/// <summary>
/// Content-addressed bytes in one area of the artifact root (<c>artifacts/sha256/ab/cdef…</c>, <c>registry/sha256/…</c>):
/// the same bytes stored twice are stored once, and every read is checked against the hash. Bytes in a remote root are
/// kept in a local cache by digest (<c>.notebookml/cache/</c>), which never goes stale: a digest's bytes never change.
/// Bytes are written to the root before any row that names them, so no row points at missing bytes.
/// </summary>
public sealed class ContentStore(IBlobStore blobs, string area, string cacheFolder)
{
    /// <summary>Stores <paramref name="source"/>'s bytes; returns their hash and size.</summary>
    public (string Sha256, long Size) Put(Stream source)
    {
        Directory.CreateDirectory(cacheFolder);
        var temporary = Path.Combine(cacheFolder, $".incoming-{Guid.NewGuid():N}");
        string hash;
        long size;
        try
        {
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

            if (!blobs.Exists(KeyOf(hash)))
            {
                blobs.Put(KeyOf(hash), temporary);
            }

            if (blobs is not FolderBlobStore local || local.PathOf(KeyOf(hash)) != CachePathOf(hash))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(CachePathOf(hash))!);
                File.Move(temporary, CachePathOf(hash), overwrite: true);
            }
        }
        finally
        {
            File.Delete(temporary);
        }

        return (hash, size);
    }

    /// <summary>The bytes stored under <paramref name="sha256"/>, checked; a changed or missing file is a clear error.</summary>
    public byte[] Read(string sha256, string describe)
    {
        var path = CachePathOf(sha256);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!blobs.TryGet(KeyOf(sha256), path))
            {
                throw new FileNotFoundException($"{describe}: its content {blobs.Location}/{KeyOf(sha256)} is missing from the artifact store.");
            }
        }

        var bytes = File.ReadAllBytes(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != sha256)
        {
            throw new InvalidDataException($"{describe}: content is corrupt (sha256 {actual}, recorded {sha256}); {path} was changed after it was logged.");
        }

        return bytes;
    }

    /// <summary>
    /// A local file holding the bytes stored under <paramref name="sha256"/>: the cached copy, fetched and checked once
    /// (a digest's bytes never change), or the file itself in a local root. Missing or changed bytes are a clear error.
    /// </summary>
    public string Fetch(string sha256, string describe)
    {
        var path = CachePathOf(sha256);
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            if (!blobs.TryGet(KeyOf(sha256), temporary))
            {
                throw new FileNotFoundException($"{describe}: its content {blobs.Location}/{KeyOf(sha256)} is missing from the artifact store.");
            }

            using (var file = File.OpenRead(temporary))
            {
                var actual = Convert.ToHexStringLower(SHA256.HashData(file));
                if (actual != sha256)
                {
                    throw new InvalidDataException($"{describe}: content is corrupt (sha256 {actual}, recorded {sha256}) in {blobs.Location}/{KeyOf(sha256)}.");
                }
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Removes the content stored under <paramref name="sha256"/>, and its cached copy.</summary>
    public void Delete(string sha256)
    {
        blobs.Delete(KeyOf(sha256));
        File.Delete(CachePathOf(sha256));
    }

    /// <summary>The key of <paramref name="sha256"/>'s bytes in the artifact root.</summary>
    public string KeyOf(string sha256) => $"{area}/sha256/{sha256[..2]}/{sha256[2..]}";

    // A local root is its own cache; a remote one is cached under the workspace's state folder.
    private string CachePathOf(string sha256) =>
        blobs is FolderBlobStore local ? local.PathOf(KeyOf(sha256)) : Path.Combine(cacheFolder, area, "sha256", sha256[..2], sha256[2..]);
}
