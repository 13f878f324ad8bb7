using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Running;

/// <summary>Real notebooks through `notebookml run` with the real kernels.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly RunFixture _run = new();

    [Fact]
    public async Task Parameters_are_injected_typed_and_recorded_and_the_output_is_valid_nbformat()
    {
        var output = Path.Combine(_run.Folder, "report.out.ipynb");

        var result = await _run.RunAsync("run", RepoPaths.Of("notebooks", "daily-report.ipynb"), "-p", "runDate", "2026-11-24", "-p", "days", "14", "-o", output);

        Assert.True(result.ExitCode == 0, result.Output);
        var notebook = RunFixture.ReadNotebook(output);
        var cells = notebook["cells"]!.AsArray();
        var injected = cells.Single(c => c!["metadata"]!["tags"]?.AsArray().Any(t => t!.GetValue<string>() == "injected-parameters") == true)!;
        Assert.Equal(cells.IndexOf(cells.Single(c => c!["metadata"]!["tags"]?.AsArray().Any(t => t!.GetValue<string>() == "parameters") == true)) + 1, cells.IndexOf(injected));
        Assert.Contains("int days = 14;", RunFixture.Text(injected["source"]));
        Assert.Contains("DateTime runDate = DateTime.Parse(\"2026-11-24", RunFixture.Text(injected["source"]));
        Assert.Contains("of 14 days", RunFixture.AllText(cells.Last()!.AsObject()));
        Assert.Contains("window ending 2026-11-24", RunFixture.AllText(cells.Last()!.AsObject()));
        Assert.Equal(14, notebook["metadata"]!["papermill"]!["parameters"]!["days"]!.GetValue<int>());
        var timing = cells.Last()!["metadata"]!["notebookml"]!;
        Assert.Equal("ok", timing["status"]!.GetValue<string>());
        Assert.True(timing["duration"]!.GetValue<double>() >= 0);
        Assert.NotNull(cells.Last()!["execution_count"]);
        await RunFixture.ValidateWithNbformatAsync(output);
    }

    [Fact]
    public async Task A_failing_cell_stops_the_run_is_marked_in_the_output_and_exits_1()
    {
        var notebook = _run.CSharpNotebook("fails.ipynb", ("var before = 1;\nConsole.WriteLine(\"ran\");", []), ("throw new InvalidOperationException(\"boom\");", []), ("Console.WriteLine(\"never\");", []));

        var result = await _run.RunAsync("run", notebook);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cell 2 (throw new InvalidOperationException(\"boom\");): System.InvalidOperationException: boom", result.StandardError);
        Assert.DoesNotContain("   at NotebookMl", result.Output);
        var cells = RunFixture.ReadNotebook(Path.Combine(_run.Folder, "fails.out.ipynb"))["cells"]!.AsArray();
        Assert.Contains("An exception was encountered at", RunFixture.Text(cells[0]!["source"]));
        Assert.Contains("ran", RunFixture.AllText(cells[1]!.AsObject()));
        Assert.Equal("error", cells.Single(c => RunFixture.Text(c!["source"]).StartsWith("throw"))!["metadata"]!["notebookml"]!["status"]!.GetValue<string>());
        Assert.Equal("pending", cells.Single(c => RunFixture.Text(c!["source"]).Contains("never"))!["metadata"]!["notebookml"]!["status"]!.GetValue<string>());
        await RunFixture.ValidateWithNbformatAsync(Path.Combine(_run.Folder, "fails.out.ipynb"));
    }

    [Fact]
    public async Task Allow_errors_and_the_raises_exception_tag_let_the_run_go_on()
    {
        var tagged = _run.CSharpNotebook("tagged.ipynb", ("throw new Exception(\"expected\");", ["raises-exception"]), ("Console.WriteLine(\"after\");", []));
        var untagged = _run.CSharpNotebook("untagged.ipynb", ("throw new Exception(\"unexpected\");", []), ("Console.WriteLine(\"after\");", []));

        var withTag = await _run.RunAsync("run", tagged);
        var withFlag = await _run.RunAsync("run", untagged, "--allow-errors");

        Assert.True(withTag.ExitCode == 0, withTag.Output);
        Assert.True(withFlag.ExitCode == 0, withFlag.Output);
        Assert.Contains("after", RunFixture.AllText(RunFixture.ReadNotebook(Path.Combine(_run.Folder, "untagged.out.ipynb"))["cells"]!.AsArray().Last()!.AsObject()));
        await RunFixture.ValidateWithNbformatAsync(Path.Combine(_run.Folder, "tagged.out.ipynb"));
        await RunFixture.ValidateWithNbformatAsync(Path.Combine(_run.Folder, "untagged.out.ipynb"));
    }

    [Fact]
    public async Task A_kernel_that_dies_is_reported_with_its_cell_and_exit_code_3()
    {
        var notebook = _run.CSharpNotebook("crash.ipynb", ("Console.WriteLine(\"kept\");", []), ("Environment.FailFast(\"crash on purpose\");", []));

        var result = await _run.RunAsync("run", notebook);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cell 2 (Environment.FailFast(\"crash on purpose\");)", result.StandardError);
        var cells = RunFixture.ReadNotebook(Path.Combine(_run.Folder, "crash.out.ipynb"))["cells"]!.AsArray();
        Assert.Contains("kept", RunFixture.AllText(cells.Single(c => RunFixture.Text(c!["source"]).Contains("kept"))!.AsObject()));
        await RunFixture.ValidateWithNbformatAsync(Path.Combine(_run.Folder, "crash.out.ipynb"));
    }

    [Fact]
    public async Task A_cell_past_its_timeout_is_interrupted_and_the_run_exits_4()
    {
        var notebook = _run.CSharpNotebook("slow.ipynb", ("Thread.Sleep(TimeSpan.FromMinutes(5));", []), ("Console.WriteLine(\"never\");", []));

        var result = await _run.RunAsync("run", notebook, "--cell-timeout", "2");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("did not finish within 2 s", result.StandardError);
        await RunFixture.ValidateWithNbformatAsync(Path.Combine(_run.Folder, "slow.out.ipynb"));
    }

    [Fact]
    public async Task A_dib_notebook_runs_with_parameters_into_an_ipynb()
    {
        var dib = _run.Write("job.dib", "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"}]},\"cellTags\":{\"1\":[\"parameters\"]}}\n\n#!markdown\n\n# A .dib job\n\n#!csharp\n\nint n = 2;\n\n#!csharp\n\nConsole.WriteLine($\"n squared is {n * n}\");\n");

        var result = await _run.RunAsync("run", dib, "-p", "n", "9");

        Assert.True(result.ExitCode == 0, result.Output);
        var cells = RunFixture.ReadNotebook(Path.Combine(_run.Folder, "job.out.ipynb"))["cells"]!.AsArray();
        Assert.Contains("n squared is 81", RunFixture.AllText(cells.Last()!.AsObject()));
        await RunFixture.ValidateWithNbformatAsync(Path.Combine(_run.Folder, "job.out.ipynb"));
    }

    [Fact]
    public async Task A_python_notebook_runs_on_ipykernel_with_papermill_style_parameters()
    {
        var notebook = _run.Write("py.ipynb", RunFixture.Notebook(
            [("alpha = 0.1\nname = 'x'", ["parameters"]), ("print(alpha * 2, name)", [])],
            """{"display_name": "Python 3", "language": "python", "name": "python3"}"""));

        var result = await _run.RunAsync("run", notebook, "-p", "alpha", "0.5", "-p", "name", "run-7");

        Assert.True(result.ExitCode == 0, result.Output);
        var cells = RunFixture.ReadNotebook(Path.Combine(_run.Folder, "py.out.ipynb"))["cells"]!.AsArray();
        Assert.Equal("# Parameters\nalpha = 0.5\nname = \"run-7\"", RunFixture.Text(cells[1]!["source"]));
        Assert.Equal("1.0 run-7\n", RunFixture.AllText(cells[2]!.AsObject()));
        await RunFixture.ValidateWithNbformatAsync(Path.Combine(_run.Folder, "py.out.ipynb"));
    }

    [Theory]
    [InlineData("missing.ipynb", new string[0], "missing.ipynb: file not found")]
    [InlineData("broken.ipynb", new string[0], "invalid JSON at line")]
    [InlineData("ok.ipynb", new[] { "--kernel", "no-such-kernel" }, "kernel 'no-such-kernel' is not installed")]
    [InlineData("ok.ipynb", new[] { "--kernel", "no-such-kernel" }, "; --kernel NAME picks another.")]
    [InlineData("ok.ipynb", new[] { "-p", "epochz", "3" }, "the notebook declares no parameter 'epochz'; its parameters are: epochs (int); --allow-extra injects it anyway.")]
    [InlineData("ok.ipynb", new[] { "-p", "epochs", "many" }, "parameter 'epochs': 'many' is not an int.")]
    [InlineData("ok.ipynb", new[] { "-o", "out.dib" }, "--output: out.dib: the executed notebook is written as .ipynb (a .dib cannot hold outputs).")]
    [InlineData("ok.ipynb", new[] { "--cwd", "no-such-folder" }, "--cwd: ")]
    [InlineData("ok.ipynb", new[] { "--cwd", "no-such-folder" }, "no-such-folder: folder not found.")]
    public async Task Bad_input_is_one_clear_line_and_exit_code_2(string notebook, string[] extra, string expected)
    {
        _run.Write("broken.ipynb", "{\"cells\": [\n  {\"cell_type\": \"code\",, }\n]}");
        _run.CSharpNotebook("ok.ipynb", ("int epochs = 10;", ["parameters"]), ("epochs", []));

        var result = await _run.RunAsync(["run", Path.Combine(_run.Folder, notebook), .. extra]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task Describe_lists_the_parameters_with_types_and_defaults()
    {
        var result = await _run.RunAsync("describe", RepoPaths.Of("notebooks", "daily-report.ipynb"), "--json");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("\"name\": \"runDate\"", result.StandardOutput);
        Assert.Contains("\"type\": \"datetime\"", result.StandardOutput);
        Assert.Contains("\"default\": \"7\"", result.StandardOutput);
    }

    public void Dispose() => _run.Dispose();
}
