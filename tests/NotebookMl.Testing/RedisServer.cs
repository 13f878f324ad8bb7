using System.Diagnostics;

namespace NotebookMl.Testing;

/// <summary>A real <c>redis-server</c> on a free loopback port, for the life of a test.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    public RedisServer()
    {
        Port = LoopbackPorts.Free();
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start; install it with apt-get install redis-server.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        LoopbackPorts.WaitOpen(Port, _process, TimeSpan.FromSeconds(10));
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    private bool _disposed;

    /// <summary>Stops the server; a test may stop it early to see how clients cope.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
