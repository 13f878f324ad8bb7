using System.Text.Json.Nodes;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Interactive.Tests;

/// <summary>
/// A notebook written in Polyglot Notebooks (dotnet_interactive metadata, a parameters cell, the
/// package's #r cell, a verb) run headless by `notebookml run` on the real dotnet-interactive Jupyter
/// kernel (`--kernel .net-csharp`, its kernelspec installed by `notebookml kernel install
/// --dotnet-interactive`) and, unchanged, on the notebookml kernel.
/// </summary>
public sealed class DotnetKernelRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-dotnet-kernel-").FullName;

    [Fact]
    public async Task A_polyglot_notebook_runs_with_parameters_on_the_dotnet_kernel_and_on_ours()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")));
        using (var run = tracker.StartRun("polyglot", "only-run"))
        {
            run.LogMetric("test_auc", 0.75);
        }

        var notebook = Path.Combine(_folder, "polyglot.ipynb");
        File.WriteAllText(notebook, Polyglot(
            ("int n = 2;", ["parameters"]),
            (StdioHost.LoadCode, []),
            ("Console.WriteLine($\"n squared is {n * n}\");", []),
            ("#!runs list -e polyglot", [])).ToJsonString());
        var prefix = Path.Combine(_folder, "jupyter");
        var install = await CliAsync(null, "kernel", "install", "--prefix", prefix, "--dotnet-interactive", RepoPaths.Of(".tools", "dotnet-interactive"));
        Assert.True(install.ExitCode == 0, install.Output);

        var onDotnet = await CliAsync(Path.Combine(prefix, "share", "jupyter"), "run", notebook, "--kernel", ".net-csharp", "-p", "n", "9", "-o", Path.Combine(_folder, "dotnet.out.ipynb"));
        var onOurs = await CliAsync(null, "run", notebook, "-p", "n", "9", "-o", Path.Combine(_folder, "ours.out.ipynb"));

        foreach (var (result, output) in new[] { (onDotnet, "dotnet.out.ipynb"), (onOurs, "ours.out.ipynb") })
        {
            Assert.True(result.ExitCode == 0, result.Output);
            var texts = Outputs(Path.Combine(_folder, output));
            Assert.Contains("n squared is 81\n", texts);
            Assert.Equal(["only-run"], TextTable.Parse(texts.Single(t => t.Contains("run(s)", StringComparison.Ordinal))).Select(r => r["name"]));
        }
    }

    [Fact]
    public async Task A_dib_from_polyglot_notebooks_runs_on_the_dotnet_kernel()
    {
        var dib = Path.Combine(_folder, "job.dib");
        File.WriteAllText(dib, "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"}]},\"cellTags\":{\"1\":[\"parameters\"]}}\n\n#!markdown\n\n# A .dib job\n\n#!csharp\n\nint n = 2;\n\n#!csharp\n\nConsole.WriteLine($\"n cubed is {n * n * n}\");\n");
        var prefix = Path.Combine(_folder, "jupyter");
        var install = await CliAsync(null, "kernel", "install", "--prefix", prefix, "--dotnet-interactive", RepoPaths.Of(".tools", "dotnet-interactive"));
        Assert.True(install.ExitCode == 0, install.Output);

        var result = await CliAsync(Path.Combine(prefix, "share", "jupyter"), "run", dib, "--kernel", ".net-csharp", "-p", "n", "3");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("n cubed is 27\n", Outputs(Path.Combine(_folder, "job.out.ipynb")));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<ProcessResult> CliAsync(string? jupyterPath, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml"), ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1" };
        if (jupyterPath is not null)
        {
            environment["JUPYTER_PATH"] = jupyterPath;
        }

        return ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(5), environment, _folder);
    }

    private static IReadOnlyList<string> Outputs(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => Text(o!["text"] ?? o["data"]?["text/plain"]))
            .ToArray();

    private static string Text(JsonNode? node) => node is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)node ?? "";

    // As Polyglot Notebooks saves a C# notebook: the .net-csharp kernelspec and each cell's language.
    private static JsonObject Polyglot(params (string Source, string[] Tags)[] cells) => new()
    {
        ["cells"] = new JsonArray(cells.Select((c, i) => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = $"cell-{i}", ["outputs"] = new JsonArray(), ["source"] = c.Source,
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray(c.Tags.Select(t => (JsonNode)t).ToArray()), ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
        }).ToArray()),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp" } },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };
}
