using System.Diagnostics;
using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner.Tests.Kernels;

/// <summary>Kernels that fail to start, with real programs standing in for broken kernels.</summary>
public sealed class KernelStartupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-kernel-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 60_000)]
    public async Task A_kernel_that_exits_while_starting_is_reported_dead_with_its_output()
    {
        // Given a "kernel" that complains and exits
        var spec = Spec("/bin/sh", "-c", "echo 'no module named ipykernel' >&2; exit 7");

        // When it is started
        var died = await Assert.ThrowsAsync<KernelDiedException>(() => StartAsync(spec, TimeSpan.FromSeconds(30)));

        // Then the exit code and what it wrote are reported
        Assert.Equal(7, died.ExitCode);
        Assert.Contains("while starting", died.Message);
        Assert.Contains("no module named ipykernel", died.KernelLog);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_kernel_that_never_answers_times_out_and_is_killed()
    {
        // Given a "kernel" that writes its pid and never listens
        var pidFile = Path.Combine(_folder, "pid");
        var spec = Spec("/bin/sh", "-c", $"echo $$ > {pidFile}; echo waiting; exec sleep 60");
        var watch = Stopwatch.StartNew();

        // When it is started with a two-second startup timeout
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => StartAsync(spec, TimeSpan.FromSeconds(2)));

        // Then the start fails on time, saying what the kernel wrote, and the process is gone
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
        Assert.Contains("did not answer within 2 s", timeout.Message);
        Assert.Contains("waiting", timeout.Message);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("zombie"), $"process {pid} is still running");
    }

    [Fact(Timeout = 90_000)]
    public async Task A_kernel_that_finds_a_port_taken_is_started_again_on_fresh_ports()
    {
        // Given a kernel whose first start fails as ipykernel does when another process took its port
        var flag = Path.Combine(_folder, "tried");
        var spec = Spec(
            "/bin/sh",
            "-c",
            $"if [ ! -e {flag} ]; then touch {flag}; echo 'zmq.error.ZMQError: Address already in use' >&2; exit 1; fi; exec /usr/bin/python3 -m ipykernel_launcher -f \"$0\"",
            "{connection_file}");

        // When it is started
        await using var kernel = await StartAsync(spec, TimeSpan.FromSeconds(40));

        // Then the second start answers
        Assert.True(File.Exists(flag));
        Assert.Equal("python", kernel.KernelInfo["language_info"]?["name"]?.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_kernel_command_that_does_not_exist_is_reported_with_its_path()
    {
        var spec = Spec(Path.Combine(_folder, "no-such-kernel"));

        var died = await Assert.ThrowsAsync<KernelDiedException>(() => StartAsync(spec, TimeSpan.FromSeconds(10)));

        Assert.Null(died.ExitCode);
        Assert.Contains("no-such-kernel", died.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task Starting_in_a_missing_working_directory_is_refused()
    {
        var spec = Spec("/bin/true");

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            KernelClient.StartAsync(spec, Path.Combine(_folder, "missing"), TimeProvider.System, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    private Task<KernelClient> StartAsync(KernelSpec spec, TimeSpan startupTimeout) =>
        KernelClient.StartAsync(spec, _folder, TimeProvider.System, startupTimeout, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(45));

    private static KernelSpec Spec(params string[] argv) =>
        new("broken", "Broken", "none", argv, new Dictionary<string, string>(), KernelSpec.SignalInterrupt, "/");
}
