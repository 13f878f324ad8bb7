using NotebookMl.Jupyter;
using NotebookMl.Jupyter.Wire;

namespace NotebookMl.Jupyter.Wire.Tests;

public sealed class ConnectionInfoTests
{
    [Fact]
    public void A_missing_connection_file_is_named_in_the_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => ConnectionInfo.Read("/nonexistent/kernel-1.json"));

        Assert.Equal("/nonexistent/kernel-1.json: connection file not found.", error.Message);
    }

    [Fact]
    public void A_connection_file_without_ports_is_rejected_with_what_is_needed()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """{"ip": "127.0.0.1", "key": "k"}""");

        var error = Assert.Throws<InvalidDataException>(() => ConnectionInfo.Read(path));

        Assert.Contains("needs shell_port, iopub_port, stdin_port, control_port and hb_port", error.Message);
    }

    [Fact]
    public void Addresses_follow_the_transport()
    {
        var info = new ConnectionInfo { Ip = "127.0.0.1", ShellPort = 5000 };

        Assert.Equal("tcp://127.0.0.1:5000", info.Address(info.ShellPort));
        Assert.Equal("ipc:///tmp/k-5000", (info with { Transport = "ipc", Ip = "/tmp/k" }).Address(5000));
    }
}
