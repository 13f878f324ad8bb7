using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using NotebookMl.Jupyter;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Runner.Kernels;

/// <summary>
/// Writes the connection file a kernel is started with, as jupyter_client does: five free TCP ports
/// on 127.0.0.1 and a random HMAC-SHA256 key, readable by this user only.
/// </summary>
internal static class ConnectionFile
{
    private const string Loopback = "127.0.0.1";

    /// <summary>Picks ports and a key and writes <c>kernel-SESSION.json</c> into <paramref name="folder"/>.</summary>
    public static (ConnectionInfo Info, string Path) Write(string folder, string session)
    {
        var ports = FreePorts(5);
        var info = new ConnectionInfo
        {
            Ip = Loopback,
            Transport = "tcp",
            ShellPort = ports[0],
            IopubPort = ports[1],
            StdinPort = ports[2],
            ControlPort = ports[3],
            HeartbeatPort = ports[4],
            Key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            SignatureScheme = "hmac-sha256",
        };
        var path = System.IO.Path.Combine(folder, $"kernel-{session}.json");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            JsonSerializer.Serialize(stream, info, new JsonSerializerOptions { WriteIndented = true });
        }

        return (info, path);
    }

    // Bound all at once so the five differ; the kernel binds them a moment later (as jupyter_client does).
    private static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
