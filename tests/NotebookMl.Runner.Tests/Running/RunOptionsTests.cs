using System.Diagnostics;
using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Running;

/// <summary>
/// The `notebookml run` options a CI job leans on, each through the built CLI and the real kernel:
/// --timeout, Ctrl-C, -f, --cwd, --log-output and --allow-extra. Every output notebook, failed runs
/// included, is validated by nbformat.
/// </summary>
public sealed class RunOptionsTests : IDisposable
{
    private readonly RunFixture _run = new();

    [Fact]
    public async Task A_run_past_its_timeout_stops_exits_4_and_keeps_what_ran()
    {
        var notebook = _run.CSharpNotebook("slow.ipynb", ("Console.WriteLine(\"first\");", []), ("Thread.Sleep(TimeSpan.FromMinutes(5));", []), ("Console.WriteLine(\"never\");", []));

        var result = await _run.RunAsync("run", notebook, "--timeout", "5");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("the run did not finish within its time limit of 5 s; this cell was interrupted", result.StandardError);
        var output = Path.Combine(_run.Folder, "slow.out.ipynb");
        Assert.Contains("first", RunFixture.AllText(CellStarting(output, "Console.WriteLine(\"first")));
        Assert.Equal("pending", CellStarting(output, "Console.WriteLine(\"never")["metadata"]!["notebookml"]!["status"]!.GetValue<string>());
        await RunFixture.ValidateWithNbformatAsync(output);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_run_with_exit_code_130_and_saves_the_notebook_so_far()
    {
        var notebook = _run.CSharpNotebook("loop.ipynb", ("Console.WriteLine(\"before\");", []), ("Console.WriteLine(\"loop\" + \" started\");\nwhile (true) { Thread.Sleep(50); }", []), ("Console.WriteLine(\"never\");", []));
        var info = new ProcessStartInfo(RepoPaths.CliExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "run", notebook, "--log-output" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["CI"] = "true";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        // Wait for the loop's own marker, streamed by --log-output, rather than for a length of time
        // (built at run time: the progress lines echo each cell's source).
        var seen = new System.Text.StringBuilder();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (!seen.ToString().Contains("loop started", StringComparison.Ordinal))
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException($"the run ended first:\n{seen}{await stderr}");
                seen.AppendLine(line);
            }
        }

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var rest = process.StandardOutput.ReadToEndAsync();
        using var exit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(exit.Token);

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{seen}{await rest}{await stderr}");
        var output = Path.Combine(_run.Folder, "loop.out.ipynb");
        Assert.Contains("before", RunFixture.AllText(CellStarting(output, "Console.WriteLine(\"before")));
        Assert.Contains("loop started", RunFixture.AllText(CellStarting(output, "Console.WriteLine(\"loop\"")));
        await RunFixture.ValidateWithNbformatAsync(output);
    }

    [Fact]
    public async Task Parameters_come_from_a_yaml_file_and_p_wins_over_it()
    {
        var notebook = _run.CSharpNotebook("params.ipynb", ("int epochs = 1;\nstring name = \"x\";\ndouble rate = 0.5;", ["parameters"]), ("Console.WriteLine($\"{epochs} {name} {rate}\");", []));
        var file = _run.Write("params.yaml", "epochs: 12\nname: from-file\nrate: 0.25\n");

        var result = await _run.RunAsync("run", notebook, "-f", file, "-p", "rate", "0.75");

        Assert.True(result.ExitCode == 0, result.Output);
        var output = Path.Combine(_run.Folder, "params.out.ipynb");
        Assert.Equal("12 from-file 0.75\n", RunFixture.AllText(CellStarting(output, "Console.WriteLine($\"{epochs}")));
        await RunFixture.ValidateWithNbformatAsync(output);
    }

    [Fact]
    public async Task Cwd_sets_the_kernels_working_directory()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_run.Folder, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "input.txt"), "read from elsewhere");
        var notebook = _run.CSharpNotebook("cwd.ipynb", ("Console.WriteLine(Environment.CurrentDirectory);\nConsole.WriteLine(File.ReadAllText(\"input.txt\"));", []));

        var result = await _run.RunAsync("run", notebook, "--cwd", elsewhere);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal($"{elsewhere}\nread from elsewhere\n", RunFixture.AllText(CellStarting(Path.Combine(_run.Folder, "cwd.out.ipynb"), "Console.WriteLine(Environment")));
    }

    [Fact]
    public async Task Log_output_streams_each_cells_output_to_the_terminal()
    {
        // The outputs are built at run time, so the cell sources shown as progress do not contain them.
        var notebook = _run.CSharpNotebook("log.ipynb", ("Console.WriteLine(\"alpha\" + \"-line\");", []), ("Console.Error.WriteLine(\"beta\" + \"-line\");", []));

        var quiet = await _run.RunAsync("run", notebook);
        var logged = await _run.RunAsync("run", notebook, "--log-output");

        Assert.True(logged.ExitCode == 0, logged.Output);
        Assert.DoesNotContain("alpha-line", quiet.Output);
        Assert.Contains("alpha-line", logged.Output);
        Assert.Contains("beta-line", logged.Output);
        Assert.True(logged.Output.IndexOf("alpha-line", StringComparison.Ordinal) < logged.Output.IndexOf("beta-line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allow_extra_injects_a_parameter_the_notebook_does_not_declare()
    {
        var notebook = _run.CSharpNotebook("extra.ipynb", ("int epochs = 1;", ["parameters"]), ("Console.WriteLine($\"{epochs} {region}\");", []));

        var refused = await _run.RunAsync("run", notebook, "-p", "region", "eu");
        var allowed = await _run.RunAsync("run", notebook, "-p", "region", "eu", "--allow-extra");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the notebook declares no parameter 'region'", refused.StandardError);
        Assert.True(allowed.ExitCode == 0, allowed.Output);
        var output = Path.Combine(_run.Folder, "extra.out.ipynb");
        Assert.Equal("1 eu\n", RunFixture.AllText(CellStarting(output, "Console.WriteLine($\"{epochs}")));
        await RunFixture.ValidateWithNbformatAsync(output);
    }

    public void Dispose() => _run.Dispose();

    private static System.Text.Json.Nodes.JsonObject CellStarting(string notebook, string start) =>
        RunFixture.ReadNotebook(notebook)["cells"]!.AsArray().Single(c => RunFixture.Text(c!["source"]).StartsWith(start, StringComparison.Ordinal))!.AsObject();
}
