using NotebookMl.Kernel.Commands;
using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Tests;

public sealed class InterruptTests
{
    [Theory]
    [InlineData("while (true) { }")]
    [InlineData("for (;;) ;")]
    [InlineData("void Spin() { while (true) { } }\nSpin();")]
    [InlineData("class Spinner { public static void Run() { do { } while (true); } }\nSpinner.Run();")]
    [InlineData("int Deep(int n) => n == 0 ? 0 : Deep(n - 1) + 0 * Wait();\nint Wait() { for (var i = 0; i < 1000; i++) { } return 0; }\nwhile (true) Deep(100);")]
    [InlineData("var stop = false; await Task.Run(() => { while (!stop) { } });")]
    public async Task Interrupt_stops_a_tight_loop_and_keeps_state(string loop)
    {
        var harness = new KernelHarness();
        await harness.SubmitAsync("var kept = 42;");
        var running = await StartAsync(harness, loop);

        harness.Kernel.Interrupt();
        var final = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("KernelInterrupted", Assert.IsType<CommandFailed>(final).ErrorName);
        Assert.Equal("42", (await harness.SubmitAsync("kept")).PlainResult);
    }

    [Fact]
    public async Task A_cell_blocked_outside_csharp_is_abandoned_after_the_grace_period_and_the_kernel_goes_on()
    {
        var harness = new KernelHarness();
        await harness.SubmitAsync("var kept = \"still here\";");
        var running = await StartAsync(harness, "Thread.Sleep(Timeout.Infinite);");

        harness.Kernel.Interrupt();
        var final = await running.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Contains("abandoned", Assert.IsType<CommandFailed>(final).Message);
        Assert.Equal("still here", (await harness.SubmitAsync("kept")).PlainResult);
    }

    [Fact]
    public async Task Interrupting_an_idle_kernel_does_nothing()
    {
        var harness = new KernelHarness();

        harness.Kernel.Interrupt();

        Assert.Equal("2", (await harness.SubmitAsync("1 + 1")).PlainResult);
    }

    [Fact]
    public async Task The_cancellation_token_global_is_cancelled_by_an_interrupt()
    {
        var harness = new KernelHarness();
        var running = await StartAsync(harness, "await Task.Delay(TimeSpan.FromMinutes(5), CancellationToken);");

        harness.Kernel.Interrupt();

        Assert.Equal("KernelInterrupted", Assert.IsType<CommandFailed>(await running.WaitAsync(TimeSpan.FromSeconds(10))).ErrorName);
    }

    /// <summary>Submits <paramref name="code"/> after a line that prints a marker, and returns once the marker has arrived: the cell is running.</summary>
    private static async Task<Task<KernelEvent>> StartAsync(KernelHarness harness, string code)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = harness.Kernel.SendAsync(
            new SubmitCode("Console.WriteLine(\"cell started\");\n" + code),
            e => { if (e is StandardStreamTextProduced { Text: var text } && text.Contains("cell started", StringComparison.Ordinal)) { started.TrySetResult(); } });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return running;
    }
}
