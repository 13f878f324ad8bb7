using System.Diagnostics;
using System.Text.Json.Nodes;
using NotebookMl.Runner.Kernels;

namespace NotebookMl.Runner.Tests.Kernels;

/// <summary>The client against Debian's ipykernel (<c>/usr/bin/python3 -m ipykernel_launcher</c>), the reference kernel.</summary>
public sealed class IpykernelClientTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-kernel-test-").FullName;
    private KernelClient _kernel = null!;

    public async Task InitializeAsync()
    {
        var spec = KernelSpec.Find("python3") ?? throw new InvalidOperationException("no python3 kernelspec: install python3-ipykernel (see environment.md).");
        _kernel = await TestKernels.StartAsync(spec, _folder);
    }

    public Task DisposeAsync() => TestKernels.StopAsync(_kernel, _folder);

    [Fact(Timeout = 120_000)]
    public async Task A_started_kernel_reports_its_language_in_kernel_info()
    {
        // Given a started ipykernel, Then its kernel_info_reply names Python.
        Assert.Equal("python", _kernel.KernelInfo["language_info"]?["name"]?.GetValue<string>());
        Assert.False(_kernel.HasExited);
        await Task.CompletedTask;
    }

    [Fact(Timeout = 120_000)]
    public async Task A_print_arrives_as_one_stream_output()
    {
        // When a cell prints
        var result = await _kernel.RunAsync("print(\"hi\")");

        // Then it has one stdout stream output
        Assert.Equal("ok", result.Status);
        var output = Assert.Single(result.Outputs);
        Assert.Equal("""{"output_type":"stream","name":"stdout","text":"hi\n"}""", output.ToJsonString());
    }

    [Fact(Timeout = 120_000)]
    public async Task Consecutive_prints_merge_into_one_stream_output_while_each_is_reported_live()
    {
        // Given a listener for live outputs
        var live = new List<JsonObject>();

        // When a cell prints three times, flushing each
        var result = await _kernel.RunAsync("import sys, time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.05)", onOutput: live.Add);

        // Then the cell holds one merged stream output, and the listener saw each chunk
        var output = Assert.Single(result.Outputs);
        Assert.Equal("0\n1\n2\n", output["text"]?.GetValue<string>());
        Assert.Equal("0\n1\n2\n", string.Concat(live.Select(o => o["text"]?.GetValue<string>())));
        Assert.True(live.Count >= 2, $"expected the prints to arrive live, one by one; got {live.Count} chunk(s)");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_expression_becomes_an_execute_result_with_its_execution_count()
    {
        // When a cell ends in an expression
        var result = await _kernel.RunAsync("1+1");

        // Then its value is an execute_result counted like the cell
        var output = Assert.Single(result.Outputs);
        Assert.Equal("execute_result", output["output_type"]?.GetValue<string>());
        Assert.Equal("2", result.PlainText());
        Assert.NotNull(result.ExecutionCount);
        Assert.Equal(result.ExecutionCount, output["execution_count"]?.GetValue<int>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_raised_exception_makes_the_cell_an_error()
    {
        // When a cell raises
        var result = await _kernel.RunAsync("raise ValueError(\"bad\")");

        // Then the reply and the error output name the exception
        Assert.Equal("error", result.Status);
        Assert.Equal("ValueError", result.ErrorName);
        Assert.Equal("bad", result.ErrorValue);
        Assert.NotEmpty(result.Traceback);
        var error = Assert.Single(result.Outputs);
        Assert.Equal("error", error["output_type"]?.GetValue<string>());
        Assert.Equal("ValueError", error["ename"]?.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_updated_display_keeps_one_output_with_the_final_data()
    {
        // When a cell shows a display and then updates it
        var result = await _kernel.RunAsync("from IPython.display import display\nh = display(\"a\", display_id=True)\nh.update(\"b\")");

        // Then there is one display_data output, showing the update
        var output = Assert.Single(result.Outputs);
        Assert.Equal("display_data", output["output_type"]?.GetValue<string>());
        Assert.Equal("'b'", result.PlainText());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_update_from_a_later_cell_changes_the_earlier_cells_display()
    {
        // Given a cell that showed a display
        var first = await _kernel.RunAsync("from IPython.display import display\nh = display(\"a\", display_id=True)");

        // When a later cell updates it
        var second = await _kernel.RunAsync("h.update(\"c\")");

        // Then the later cell has no output of its own, and the first cell's output shows the update
        Assert.Empty(second.Outputs);
        Assert.Equal("'c'", first.PlainText());
    }

    [Fact(Timeout = 120_000)]
    public async Task Clear_output_with_wait_clears_when_the_next_output_comes()
    {
        // When a cell prints, clears with wait=True, and prints again
        var result = await _kernel.RunAsync("from IPython.display import clear_output\nprint('old')\nclear_output(wait=True)\nprint('new')");

        // Then only the output after the clear is left
        var output = Assert.Single(result.Outputs);
        Assert.Equal("new\n", output["text"]?.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_cell_past_its_timeout_is_interrupted_and_the_kernel_keeps_working()
    {
        // Given a state the kernel should keep
        await _kernel.RunAsync("x = 41");
        var watch = Stopwatch.StartNew();

        // When a cell loops past its one-second timeout
        var timeout = await Assert.ThrowsAsync<CellTimeoutException>(() => _kernel.RunAsync("import time\nwhile True:\n    time.sleep(0.05)", TimeSpan.FromSeconds(1)));

        // Then it is interrupted promptly, and the kernel still runs cells with its state
        Assert.True(timeout.KernelResponded, timeout.Message);
        Assert.InRange(timeout.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var result = await _kernel.RunAsync("x + 1");
        Assert.Equal("ok", result.Status);
        Assert.Equal("42", result.PlainText());
    }

    [Fact(Timeout = 120_000)]
    public async Task The_kernel_runs_in_the_given_working_directory_as_our_child()
    {
        // When a cell reports where it runs and who started it
        var result = await _kernel.RunAsync("import os; print(os.getcwd()); print(os.environ['JPY_PARENT_PID'])");

        // Then it is the folder passed to StartAsync, and JPY_PARENT_PID is this process
        Assert.Equal($"{_folder}\n{Environment.ProcessId}\n", result.Outputs[0]["text"]?.GetValue<string>());
    }

    [Fact(Timeout = 120_000)]
    public async Task Interrupting_by_signal_stops_a_running_cell_with_KeyboardInterrupt()
    {
        // Given a cell sleeping for a minute
        var running = _kernel.RunAsync("import time; time.sleep(60)");
        await Task.Delay(TimeSpan.FromSeconds(1));

        // When the kernel is interrupted (interrupt_mode signal: SIGINT)
        await _kernel.InterruptAsync(CancellationToken.None);

        // Then the cell ends at once with KeyboardInterrupt
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("error", result.Status);
        Assert.Equal("KeyboardInterrupt", result.ErrorName);
    }

    [Fact(Timeout = 120_000)]
    public async Task Cancelling_a_cell_interrupts_it_and_leaves_the_kernel_usable()
    {
        // Given a cell sleeping for a minute, and a token cancelled after a second
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        // When the token is cancelled
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _kernel.ExecuteAsync("import time; time.sleep(60)", null, null, cancel.Token).WaitAsync(TestKernels.Cell));

        // Then the call ends promptly and the next cell runs
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
        Assert.Equal("2", (await _kernel.RunAsync("1+1")).PlainText());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_kernel_that_exits_mid_cell_is_reported_dead_with_its_exit_code()
    {
        var watch = Stopwatch.StartNew();

        // When a cell kills its own kernel
        var died = await Assert.ThrowsAsync<KernelDiedException>(() => _kernel.RunAsync("import os; os._exit(3)"));

        // Then the client says so at once, with the exit code
        Assert.Equal(3, died.ExitCode);
        Assert.Contains("exit code 3", died.Message);
        Assert.True(_kernel.HasExited);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact(Timeout = 120_000)]
    public async Task Disposing_shuts_the_kernel_down_and_removes_its_connection_file()
    {
        // Given a running kernel, started with a connection file
        using var process = Process.GetProcessById(_kernel.ProcessId);
        var argv = File.ReadAllText($"/proc/{_kernel.ProcessId}/cmdline").Split('\0');
        var connectionFile = argv[Array.IndexOf(argv, "-f") + 1];
        Assert.True(File.Exists(connectionFile), connectionFile);

        // When the client is disposed
        var watch = Stopwatch.StartNew();
        await _kernel.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

        // Then the kernel exited on request (before the 5 s after which it would be killed), and the connection file is gone
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4.5), $"took {watch.Elapsed}");
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(5)));
        Assert.False(File.Exists(connectionFile));
    }
}
