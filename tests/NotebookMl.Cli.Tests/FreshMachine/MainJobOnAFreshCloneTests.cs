using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.FreshMachine;

/// <summary>
/// The README's first command on a machine as it comes (the .NET SDK, g++ and python3; no patchelf):
/// a copy of the working tree as git would clone it, built from nothing, runs the main job, and the
/// verbs run after it from the root see its runs.
/// </summary>
public sealed class MainJobOnAFreshCloneTests : IDisposable
{
    private readonly string _clone = Directory.CreateTempSubdirectory("notebookml-clone-").FullName;

    [Fact]
    public async Task The_readme_main_job_runs_from_a_clean_clone_without_patchelf_and_its_runs_are_listed_from_the_root()
    {
        await WorkingTree.CopyToAsync(_clone);
        var environment = new Dictionary<string, string> { ["CI"] = "true", ["PATH"] = PathWithout("patchelf") };
        var remove = ProcessRunner.BuildHostVariables().Append("NOTEBOOKML_HOME");

        var main = await ProcessRunner.RunAsync("dotnet", ["run", "--project", "src/NotebookMl.Cli", "--", "run", "notebooks/flight-delays.ipynb"], TimeSpan.FromMinutes(12), environment, _clone, removeVariables: remove);

        Assert.True(main.ExitCode == 0, main.Output);
        var list = await ProcessRunner.RunAsync("dotnet", ["run", "--project", "src/NotebookMl.Cli", "--no-build", "--", "runs", "list", "--experiment", "flight-delays", "--json"], TimeSpan.FromMinutes(2), environment, _clone, removeVariables: remove);
        Assert.True(list.ExitCode == 0, list.Output);
        var names = JsonNode.Parse(list.StandardOutput)!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        // mlp-features is the TorchSharp MLP: its native library loaded after the build's byte edits, with no patchelf.
        Assert.Equal(["lightgbm-features", "lightgbm-raw", "mlp-features"], names);
        Assert.True(File.Exists(Path.Combine(_clone, "models", "flight-delays.onnx")));
        Assert.False(Directory.Exists(Path.Combine(_clone, "notebooks", ".notebookml")));
    }

    private static string PathWithout(string tool) =>
        string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Where(d => d.Length > 0 && !File.Exists(Path.Combine(d, tool))));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_clone, recursive: true);
    }
}
