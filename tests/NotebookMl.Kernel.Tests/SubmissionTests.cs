using NotebookMl.Kernel.Events;

namespace NotebookMl.Kernel.Tests;

public sealed class SubmissionTests
{
    [Fact]
    public async Task A_trailing_expression_is_the_cell_result()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("1 + 2");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("3", result.PlainResult);
    }

    [Fact]
    public async Task Variables_methods_and_types_survive_across_cells()
    {
        var kernel = new KernelHarness();

        await kernel.SubmitAsync("var x = 41;");
        await kernel.SubmitAsync("int Twice(int v) => 2 * v;");
        await kernel.SubmitAsync("record Point(int X, int Y);");
        var result = await kernel.SubmitAsync("new Point(Twice(x + 1), 0).X");

        Assert.Equal("84", result.PlainResult);
    }

    [Fact]
    public async Task Top_level_await_works()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("await Task.Delay(10); await Task.FromResult(\"done\")");

        Assert.Equal("done", result.PlainResult);
    }

    [Fact]
    public async Task A_void_call_without_semicolon_produces_no_result()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("Console.WriteLine(\"hi\")");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Null(result.PlainResult);
        Assert.Equal("hi\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_compilation_error_names_the_line_and_the_problem()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync("var a = 1;\nvar b = undefinedName;");

        Assert.Equal("CompilationError", result.Failure.ErrorName);
        Assert.StartsWith("(2,9): error CS0103", result.Failure.Message);
    }

    [Fact]
    public async Task An_exception_fails_the_cell_and_keeps_earlier_variables()
    {
        var kernel = new KernelHarness();

        var failed = await kernel.SubmitAsync("var kept = 7;\nthrow new InvalidOperationException(\"boom\");");
        var after = await kernel.SubmitAsync("kept");

        Assert.Equal("System.InvalidOperationException", failed.Failure.ErrorName);
        Assert.Equal("boom", failed.Failure.Message);
        Assert.Contains(failed.Failure.Traceback, l => l.Contains("cell:line 2", StringComparison.Ordinal));
        Assert.Equal("7", after.PlainResult);
    }

    [Fact]
    public async Task A_traceback_names_the_lines_in_every_cell_it_passes_through()
    {
        var kernel = new KernelHarness();
        await kernel.SubmitAsync("void Check(int value)\n{\n    if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), \"negative\");\n}");

        var failed = await kernel.SubmitAsync("var ok = 1;\nCheck(-1);");

        Assert.Equal("System.ArgumentOutOfRangeException", failed.Failure.ErrorName);
        Assert.Contains(failed.Failure.Traceback, l => l.Contains("Check(Int32 value) in cell:line 3", StringComparison.Ordinal));
        Assert.Contains(failed.Failure.Traceback, l => l.Contains("in cell:line 2", StringComparison.Ordinal) && l.Contains("cell#", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Default_usings_include_linq_and_dataframe()
    {
        var kernel = new KernelHarness();

        var result = await kernel.SubmitAsync(
            "var df = new DataFrame(new PrimitiveDataFrameColumn<int>(\"n\", Enumerable.Range(1, 3)));\ndf.Rows.Count");

        Assert.Equal("3", result.PlainResult);
    }

    [Fact]
    public async Task Console_output_and_error_are_streamed_while_the_cell_runs()
    {
        var kernel = new KernelHarness();
        var first = new TaskCompletionSource<string>();
        var run = kernel.Kernel.SendAsync(
            new Commands.SubmitCode("Console.WriteLine(\"early\"); Console.Error.WriteLine(\"warn\"); await Task.Delay(3000); Console.WriteLine(\"late\");"),
            e => { if (e is StandardStreamTextProduced s) { first.TrySetResult(s.Text); } });

        var text = await first.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(run.IsCompleted, "stdout arrived only when the cell had finished");
        Assert.Contains("early", text);
        Assert.IsType<CommandSucceeded>(await run);
    }
}
