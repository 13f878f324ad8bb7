using NotebookMl.Testing;

namespace NotebookMl.Jupyter.Tests;

/// <summary>
/// The installed kernel driven by the real jupyter_client (Debian's, under /usr/bin/python3)
/// through clients/protocol_checks.py, one scenario per test; the same checks pass on ipykernel.
/// </summary>
public sealed class JupyterClientTests(InstalledKernel kernel) : IClassFixture<InstalledKernel>
{
    public static TheoryData<string> Scenarios => new()
    {
        "kernel_info", "execute_result", "stream", "stream_live", "display_update", "error", "state",
        "complete", "inspect", "is_complete", "history", "comm_info", "interrupt_message", "interrupt_signal",
        "stdin", "forged_signature", "shutdown_control", "shutdown_shell", "heartbeat",
        "aborted", "html", "display_mime", "compile_errors",
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_kernel_passes_the_protocol_scenario(string scenario)
    {
        var result = await ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            [RepoPaths.Of("tests", "NotebookMl.Jupyter.Tests", "clients", "protocol_checks.py"), "--kernel", "notebookml-csharp", "--language", "csharp", scenario],
            TimeSpan.FromMinutes(2),
            kernel.Environment);

        Assert.True(result.ExitCode == 0, $"{scenario} failed:\n{result.Output}");
        Assert.Contains($"PASS {scenario}", result.StandardOutput);
    }
}
