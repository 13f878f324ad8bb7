using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NotebookMl.Testing;

/// <summary>Loopback ports for the servers tests start: a free one, and waiting until a started server listens on it.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on now.</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until <paramref name="port"/> takes connections; a server that exits first or a wait past <paramref name="timeout"/> is an error.</summary>
    public static void WaitOpen(int port, Process server, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < timeout && !server.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }
}
