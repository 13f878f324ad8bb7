using System.Diagnostics;

namespace NotebookMl.Testing;

/// <summary>
/// A real S3-compatible server on a free loopback port: <c>s3rver</c> (npm), installed by <c>./build.sh test</c> into
/// <c>.tools/s3rver</c>, with its data in a temporary folder and a bucket made at start. Its credentials are s3rver's
/// (<c>S3RVER</c>/<c>S3RVER</c>), handed to clients through the standard AWS variables.
/// </summary>
public sealed class S3Server : IDisposable
{
    /// <summary>The access key and secret s3rver accepts.</summary>
    public const string Credential = "S3RVER";

    private Process? _process;
    private bool _disposed;

    public S3Server(string bucket = "ml")
    {
        Bucket = bucket;
        Folder = Directory.CreateTempSubdirectory("notebookml-s3-").FullName;
        Port = LoopbackPorts.Free();
        Start();
    }

    /// <summary>The bucket made at start.</summary>
    public string Bucket { get; }

    /// <summary>The data folder.</summary>
    public string Folder { get; }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The endpoint URL.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The environment a client needs: the standard AWS credentials for s3rver.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = Credential,
        ["AWS_SECRET_ACCESS_KEY"] = Credential,
        ["AWS_REGION"] = "us-east-1",
    };

    /// <summary>An artifact root in the bucket under <paramref name="prefix"/>, with the endpoint in the URL.</summary>
    public string Url(string prefix) => $"s3://{Bucket}/{prefix}?endpoint={Uri.EscapeDataString(Endpoint)}";

    /// <summary>Starts the server (again, on the same port and data) and waits until it answers.</summary>
    public void Start()
    {
        var executable = RepoPaths.Of(".tools", "s3rver", "node_modules", ".bin", "s3rver");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing; './build.sh test' installs s3rver (npm install --prefix .tools/s3rver s3rver@3.7.1).");
        }

        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-d", Folder, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets", "--configure-bucket", Bucket })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("s3rver did not start.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        LoopbackPorts.WaitOpen(Port, _process, TimeSpan.FromSeconds(20));
    }

    /// <summary>Stops the server; the data stays for a later <see cref="Start"/>.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Stop();
        Directory.Delete(Folder, recursive: true);
    }
}
