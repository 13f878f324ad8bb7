using System.Diagnostics;
using NotebookMl.Runner.Kernels;
using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Kernels;

/// <summary>The client against the NotebookMl C# kernel, installed and found as a user's kernelspec.</summary>
public sealed class CSharpKernelClientTests(InstalledKernel installed) : IClassFixture<InstalledKernel>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-kernel-test-").FullName;
    private KernelClient _kernel = null!;

    public async Task InitializeAsync()
    {
        var spec = KernelSpec.Find(InstalledKernel.Name, [installed.JupyterPath])
            ?? throw new InvalidOperationException($"the kernelspec was not found under {installed.JupyterPath}.");
        _kernel = await TestKernels.StartAsync(spec, _folder);
    }

    public Task DisposeAsync() => TestKernels.StopAsync(_kernel, _folder);

    [Fact(Timeout = 120_000)]
    public async Task Console_output_arrives_as_a_stream()
    {
        // When a cell writes a line
        var result = await _kernel.RunAsync("Console.WriteLine(\"hi\")");

        // Then it has one stdout stream output
        Assert.Equal("ok", result.Status);
        var output = Assert.Single(result.Outputs);
        Assert.Equal("""{"output_type":"stream","name":"stdout","text":"hi\n"}""", output.ToJsonString());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_expression_becomes_an_execute_result()
    {
        // When a cell ends in an expression
        var result = await _kernel.RunAsync("1 + 2");

        // Then its value is an execute_result counted like the cell
        Assert.Equal("ok", result.Status);
        var output = Assert.Single(result.Outputs);
        Assert.Equal("execute_result", output["output_type"]?.GetValue<string>());
        Assert.Equal("3", result.PlainText());
        Assert.Equal(result.ExecutionCount, output["execution_count"]?.GetValue<int>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_tight_loop_past_its_timeout_is_interrupted_by_message_and_the_kernel_keeps_working()
    {
        // Given a kernel whose interrupt_mode is message
        Assert.Equal(KernelSpec.MessageInterrupt, _kernel.Spec.InterruptMode);
        await _kernel.RunAsync("var x = 41;");

        // When a tight loop runs past its two-second timeout
        var timeout = await Assert.ThrowsAsync<CellTimeoutException>(() => _kernel.RunAsync("while (true) { }", TimeSpan.FromSeconds(2)));

        // Then the kernel answered the interrupt and still runs cells with its state
        Assert.True(timeout.KernelResponded, timeout.Message);
        var result = await _kernel.RunAsync("x + 1");
        Assert.Equal("ok", result.Status);
        Assert.Equal("42", result.PlainText());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_kernel_that_fails_fast_is_reported_dead_quickly()
    {
        var watch = Stopwatch.StartNew();

        // When a cell ends the kernel process
        var died = await Assert.ThrowsAsync<KernelDiedException>(() => _kernel.RunAsync("Environment.FailFast(\"boom\")"));

        // Then the client reports it within seconds, with the runtime's abort code and its message in the log
        Assert.Equal(134, died.ExitCode);
        Assert.Contains("boom", died.KernelLog);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact(Timeout = 120_000)]
    public async Task Disposing_shuts_the_kernel_down_on_request()
    {
        // Given a running kernel
        using var process = Process.GetProcessById(_kernel.ProcessId);
        var watch = Stopwatch.StartNew();

        // When the client is disposed
        await _kernel.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        // Then the kernel exited on its shutdown_request, before the 5 s after which it would be killed
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4.5), $"took {watch.Elapsed}");
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(1)));
        Assert.True(_kernel.HasExited);
    }
}
