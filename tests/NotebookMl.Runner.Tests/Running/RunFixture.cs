using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Runner.Tests.Running;

/// <summary>Runs the built <c>notebookml</c> on notebooks written into a temporary folder.</summary>
internal sealed class RunFixture : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("notebookml-run-").FullName;

    public string Write(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A C# notebook (nbformat 4.5) whose cells are given as (source, tags).</summary>
    public string CSharpNotebook(string name, params (string Source, string[] Tags)[] cells) =>
        Write(name, TestNotebook.Json(cells));

    public static string Notebook((string Source, string[] Tags)[] cells, string kernelspec) => TestNotebook.Json(cells, kernelspec);

    /// <summary>Runs the CLI in <see cref="Folder"/> (its workspace, found from there as a user's would be), never in the repository's.</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true" }, Folder, removeVariables: ["NOTEBOOKML_HOME"]);

    public static JsonObject ReadNotebook(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    public static async Task ValidateWithNbformatAsync(string path)
    {
        var result = await ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", path],
            TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Output);
    }

    public static string Text(JsonNode? node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : node?.GetValue<string>() ?? "";

    public static string AllText(JsonObject cell) =>
        string.Concat(cell["outputs"]!.AsArray().Select(o => Text(o!["text"]) + Text(o["data"]?["text/plain"]) + Text(o["evalue"])));

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
