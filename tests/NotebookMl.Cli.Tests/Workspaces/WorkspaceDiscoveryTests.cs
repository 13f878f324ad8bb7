using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Workspaces;

/// <summary>One workspace per project, found like git finds its repository: by the CLI, the runner and the kernels it starts.</summary>
public sealed class WorkspaceDiscoveryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-discovery-").FullName;

    [Fact]
    public async Task A_read_where_there_is_no_workspace_says_so_in_one_line_and_creates_nothing()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_folder, "a", "b")).FullName;

        foreach (var command in new[] { new[] { "runs", "list", "--experiment", "flight-delays", "--json" }, ["features", "list"] })
        {
            var result = await RunAsync(nested, command);

            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"no NotebookMl workspace in {nested} or any folder above it", line);
            Assert.Contains("notebookml init", line);
            Assert.DoesNotContain("   at ", result.Output);
        }

        Assert.Equal([Path.Combine(_folder, "a"), nested], Directory.GetFileSystemEntries(_folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_read_where_NOTEBOOKML_HOME_names_a_missing_folder_fails_in_one_line_and_creates_nothing()
    {
        var missing = Path.Combine(_folder, "missing", ".notebookml");

        foreach (var command in new[] { new[] { "runs", "list" }, ["models", "list"], ["features", "list"] })
        {
            var result = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, command, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = missing }, _folder);

            Assert.Equal(2, result.ExitCode);
            Assert.Equal($"notebookml: NOTEBOOKML_HOME is {missing}, which does not exist; nothing was created there. Create the folder, or unset NOTEBOOKML_HOME to find the workspace from the working directory.",
                Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }

        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Init_makes_a_workspace_that_the_runner_its_kernels_and_every_verb_find_from_nested_folders()
    {
        var project = Directory.CreateDirectory(Path.Combine(_folder, "project")).FullName;
        var init = await RunAsync(project, "init");
        Assert.True(init.ExitCode == 0, init.Output);
        Assert.True(File.Exists(Path.Combine(project, "notebookml.yaml")));
        Assert.True(Directory.Exists(Path.Combine(project, ".notebookml")));

        // The notebook sits two folders down; its kernel starts there and logs a run.
        var notebooks = Directory.CreateDirectory(Path.Combine(project, "notebooks", "daily")).FullName;
        var notebook = TestNotebook.Write(Path.Combine(notebooks, "log.ipynb"), """
            using NotebookMl.Core.Tracking;
            using (var run = Tracker.ForCurrentWorkspace().StartRun("nested", "from-a-kernel")) { run.LogMetric("auc", 0.5); }
            Console.WriteLine(NotebookMl.Core.Workspaces.WorkspaceLocation.Current().Root);
            """);
        var run = await RunAsync(project, "run", notebook);
        Assert.True(run.ExitCode == 0, run.Output);

        // A read from another nested folder sees it; no second workspace appeared below the root.
        var elsewhere = Directory.CreateDirectory(Path.Combine(project, "reports")).FullName;
        var list = await RunAsync(elsewhere, "runs", "list", "--experiment", "nested", "--json");
        Assert.True(list.ExitCode == 0, list.Output);
        var runs = JsonNode.Parse(list.StandardOutput)!.AsArray();
        Assert.Equal("from-a-kernel", Assert.Single(runs)!["name"]!.GetValue<string>());
        Assert.Contains(project, File.ReadAllText(Path.Combine(notebooks, "log.out.ipynb")));
        Assert.Single(Directory.GetDirectories(project, ".notebookml", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_runner_hands_its_kernel_the_workspace_it_resolved_for_a_notebook_outside_it()
    {
        var project = Directory.CreateDirectory(Path.Combine(_folder, "project")).FullName;
        File.WriteAllText(Path.Combine(project, "notebookml.yaml"), "");
        var outside = Directory.CreateDirectory(Path.Combine(_folder, "scratch")).FullName;
        var notebook = TestNotebook.Write(Path.Combine(outside, "log.ipynb"), """
            using NotebookMl.Core.Tracking;
            using (var run = Tracker.ForCurrentWorkspace().StartRun("handed", "outside")) { }
            """);

        var run = await RunAsync(project, "run", notebook);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.False(Directory.Exists(Path.Combine(outside, ".notebookml")));
        var list = await RunAsync(project, "runs", "list", "--experiment", "handed", "--json");
        Assert.Single(JsonNode.Parse(list.StandardOutput)!.AsArray());
    }

    private static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true" }, workingDirectory, removeVariables: ["NOTEBOOKML_HOME"]);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
