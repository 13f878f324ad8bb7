using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Jupyter.Tests;

/// <summary>Notebooks executed by <c>jupyter nbconvert --execute</c> (nbclient) on the installed kernel.</summary>
public sealed class NbconvertTests(InstalledKernel kernel) : IClassFixture<InstalledKernel>
{
    [Fact]
    public async Task The_getting_started_notebook_runs_with_every_output()
    {
        var executed = await ExecuteAsync(RepoPaths.Of("notebooks", "getting-started.ipynb"));

        var outputs = CodeCellOutputs(executed);
        Assert.Equal("3", Text(outputs[0][0]));
        Assert.Contains("<table class=\"notebookml-dataframe\">", Join(outputs[1][0]!["data"]!["text/html"]));
        Assert.Contains("3 rows × 3 columns", Text(outputs[2][0]));
        Assert.Equal("epoch 3 of 3", Text(outputs[3].Single()));
        Assert.Contains("1 late flight(s)", Text(outputs[4][0]));
        Assert.Contains("Wall time:", Text(outputs[4][0]));
        Assert.Contains("flights", Text(outputs[5][0]));
        Assert.DoesNotContain(outputs.SelectMany(o => o), o => o!["output_type"]!.GetValue<string>() == "error");
    }

    [Fact]
    public async Task A_notebook_saved_by_Polyglot_Notebooks_runs_unchanged()
    {
        var executed = await ExecuteAsync(RepoPaths.Of("tests", "NotebookMl.Jupyter.Tests", "Notebooks", "polyglot-saved.ipynb"));

        var outputs = CodeCellOutputs(executed);
        Assert.Empty(outputs[0]);
        Assert.Equal("HELLO FROM POLYGLOT", Text(outputs[1][0]));
        Assert.Equal("hello from Polyglot", Text(outputs[2][0]));
    }

    [Fact]
    public async Task A_failing_cell_stops_nbconvert_with_the_exception()
    {
        var notebook = Path.Combine(kernel.Prefix, "failing.ipynb");
        await File.WriteAllTextAsync(notebook, """
            {"cells": [{"cell_type": "code", "execution_count": null, "id": "a1", "metadata": {}, "outputs": [],
                        "source": "throw new ArgumentException(\"bad input\");"}],
             "metadata": {"kernelspec": {"display_name": "C# (NotebookMl)", "language": "C#", "name": "notebookml-csharp"}},
             "nbformat": 4, "nbformat_minor": 5}
            """);

        var result = await RunNbconvertAsync(notebook, Path.Combine(kernel.Prefix, "failing.out.ipynb"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("System.ArgumentException", result.Output);
        Assert.Contains("bad input", result.Output);
    }

    private async Task<JsonObject> ExecuteAsync(string notebook)
    {
        var output = Path.Combine(kernel.Prefix, Path.GetFileNameWithoutExtension(notebook) + ".out.ipynb");
        var result = await RunNbconvertAsync(notebook, output);
        Assert.True(result.ExitCode == 0, result.Output);
        return JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsObject();
    }

    private Task<ProcessResult> RunNbconvertAsync(string notebook, string output) =>
        ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=notebookml-csharp",
             "--ExecutePreprocessor.timeout=120", "--output", output, notebook],
            TimeSpan.FromMinutes(3),
            kernel.Environment);

    private static List<JsonArray> CodeCellOutputs(JsonObject notebook) =>
        notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").Select(c => c!["outputs"]!.AsArray()).ToList();

    private static string Text(JsonNode? output) => Join(output?["text"] ?? output?["data"]?["text/plain"]);

    // nbformat stores multi-line text as a list of lines.
    private static string Join(JsonNode? text) =>
        text is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : text?.GetValue<string>() ?? "";
}
