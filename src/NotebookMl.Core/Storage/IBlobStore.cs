namespace NotebookMl.Core.Storage;

/// <summary>
/// Where artifact bytes live, by key (<c>artifacts/sha256/ab/cdef…</c>): a local or shared folder, or an S3 bucket.
/// Writers put whole objects under content-addressed keys, so a key's bytes never change once written.
/// </summary>
public interface IBlobStore
{
    /// <summary>Where the blobs are, for messages (<c>/path</c>, <c>s3://bucket/prefix</c>).</summary>
    string Location { get; }

    /// <summary>Whether <paramref name="key"/> holds bytes.</summary>
    bool Exists(string key);

    /// <summary>Stores the file <paramref name="localFile"/> under <paramref name="key"/> (replacing nothing a reader could see half-written).</summary>
    void Put(string key, string localFile);

    /// <summary>Copies <paramref name="key"/>'s bytes to <paramref name="localFile"/>; false when there is no such key.</summary>
    bool TryGet(string key, string localFile);

    /// <summary>Removes <paramref name="key"/>, if it is there.</summary>
    void Delete(string key);

    /// <summary>Every key under <paramref name="prefix"/>.</summary>
    IEnumerable<string> List(string prefix);
}
