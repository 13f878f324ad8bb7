namespace NotebookMl.Core.Storage;

/// <summary>Blobs as files under a folder: the workspace's <c>.notebookml/</c>, or a shared path (<c>artifacts: file:///shared/ml</c>).</summary>
public sealed class FolderBlobStore(string folder) : IBlobStore
{
    /// <inheritdoc/>
    public string Location => folder;

    /// <inheritdoc/>
    public bool Exists(string key) => File.Exists(PathOf(key));

    /// <inheritdoc/>
    public void Put(string key, string localFile)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Copy beside the target, then rename: a reader sees the whole file or none.
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".incoming-{Guid.NewGuid():N}");
        File.Copy(localFile, temporary);
        File.Move(temporary, target, overwrite: true);
    }

    /// <inheritdoc/>
    public bool TryGet(string key, string localFile)
    {
        var source = PathOf(key);
        if (!File.Exists(source))
        {
            return false;
        }

        File.Copy(source, localFile, overwrite: true);
        return true;
    }

    /// <inheritdoc/>
    public void Delete(string key)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <inheritdoc/>
    public IEnumerable<string> List(string prefix)
    {
        var root = PathOf(prefix);
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith(".incoming-", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            : [];
    }

    /// <summary>The file of <paramref name="key"/>.</summary>
    public string PathOf(string key) => Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar));
}
