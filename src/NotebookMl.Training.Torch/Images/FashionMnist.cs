using System.Buffers.Binary;
using System.IO.Compression;

namespace NotebookMl.Training.Torch.Images;

/// <summary>Grayscale images with class labels: pixels row after row (count × height × width bytes).</summary>
public sealed record ImageSet(byte[] Pixels, byte[] Labels, int Height, int Width, IReadOnlyList<string> Classes)
{
    public int Count => Labels.Length;

    /// <summary>The first <paramref name="count"/> images.</summary>
    public ImageSet Take(int count)
    {
        var n = Math.Min(count, Count);
        return this with { Pixels = Pixels[..(n * Height * Width)], Labels = Labels[..n] };
    }
}

/// <summary>
/// Fashion-MNIST (Zalando, MIT) from Debian's <c>dataset-fashion-mnist</c>: the idx files under
/// /usr/share/datasets/fashion-mnist (gzip), 60,000 training and 10,000 test images of 28×28.
/// </summary>
public static class FashionMnist
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    public static IReadOnlyList<string> Classes { get; } = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static ImageSet Train(string folder = DefaultFolder) => Load(folder, "train");

    public static ImageSet Test(string folder = DefaultFolder) => Load(folder, "t10k");

    /// <summary>SHA-256 of the four files, for the tracked dataset input.</summary>
    public static string Digest(string folder = DefaultFolder)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var name in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
        {
            hash.AppendData(File.ReadAllBytes(Path.Combine(folder, name)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ImageSet Load(string folder, string part)
    {
        var images = Read(Path.Combine(folder, $"{part}-images-idx3-ubyte.gz"), 0x803, out var imageDims);
        var labels = Read(Path.Combine(folder, $"{part}-labels-idx1-ubyte.gz"), 0x801, out var labelDims);
        return imageDims[0] == labelDims[0]
            ? new ImageSet(images, labels, imageDims[1], imageDims[2], Classes)
            : throw new InvalidDataException($"{folder}: {imageDims[0]} images but {labelDims[0]} labels in '{part}'.");
    }

    /// <summary>An idx file: big-endian magic (0x08 = unsigned bytes, then the number of dimensions), the dimensions, the data.</summary>
    private static byte[] Read(string path, int magic, out int[] dims)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} not found; install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass its folder.");
        }

        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        var found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
        {
            throw new InvalidDataException($"{path}: idx magic 0x{found:x}, expected 0x{magic:x}.");
        }

        dims = Enumerable.Range(0, magic & 0xFF).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * i)))).ToArray();
        var offset = 4 + (4 * dims.Length);
        var length = dims.Aggregate(1, (a, b) => a * b);
        return bytes.Length - offset == length ? bytes[offset..] : throw new InvalidDataException($"{path}: {bytes.Length - offset} data bytes, expected {length}.");
    }
}
