using System.Text.Json;
using System.Text.Json.Serialization;
using NotebookMl.Jupyter;

namespace NotebookMl.Jupyter.Wire;

/// <summary>A Jupyter connection file: where to bind the five channels and the signing key.</summary>
public sealed record ConnectionInfo
{
    /// <summary>The IP address to bind.</summary>
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";

    /// <summary><c>tcp</c> or <c>ipc</c>.</summary>
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";

    /// <summary>The shell channel's port.</summary>
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }

    /// <summary>The IOPub channel's port.</summary>
    [JsonPropertyName("iopub_port")] public int IopubPort { get; init; }

    /// <summary>The stdin channel's port.</summary>
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }

    /// <summary>The control channel's port.</summary>
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }

    /// <summary>The heartbeat channel's port.</summary>
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }

    /// <summary>The HMAC key; empty means messages are not signed.</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";

    /// <summary>Only <c>hmac-sha256</c> is supported.</summary>
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";

    /// <summary>Reads and checks a connection file; errors name the file and the problem.</summary>
    public static ConnectionInfo Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: connection file not found.");
        }

        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid connection file ({e.Message}).");
        }

        if (info is null || new[] { info.ShellPort, info.IopubPort, info.StdinPort, info.ControlPort, info.HeartbeatPort }.Any(p => p <= 0))
        {
            throw new InvalidDataException($"{path}: a connection file needs shell_port, iopub_port, stdin_port, control_port and hb_port.");
        }

        if (info.Key.Length > 0 && info.SignatureScheme != "hmac-sha256")
        {
            throw new InvalidDataException($"{path}: signature_scheme '{info.SignatureScheme}' is not supported; expected 'hmac-sha256'.");
        }

        return info;
    }

    /// <summary>The ZeroMQ address of a port, e.g. <c>tcp://127.0.0.1:5555</c>.</summary>
    public string Address(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";
}
