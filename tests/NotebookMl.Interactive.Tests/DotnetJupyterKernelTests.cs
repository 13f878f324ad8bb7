using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Interactive.Tests;

/// <summary>
/// NotebookMl.Interactive in dotnet-interactive's Jupyter kernel (<c>.net-csharp</c>), driven by the
/// real jupyter_client (dotnet_jupyter_checks.py under /usr/bin/python3): load, #!lsmagic, #!train on a
/// small CSV (tracked in the workspace the CLI reads), #!runs compare, #!features apply and list.
/// </summary>
public sealed class DotnetJupyterKernelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-dotnet-jupyter-").FullName;

    [Fact]
    public async Task The_verbs_answer_in_the_dotnet_jupyter_kernel_and_their_runs_are_the_clis()
    {
        var random = new Random(1);
        File.WriteAllText(Path.Combine(_folder, "rows.csv"), "distance,hour,origin,late\n" + string.Concat(Enumerable.Range(0, 400).Select(_ =>
        {
            var hour = random.Next(24);
            return string.Create(CultureInfo.InvariantCulture, $"{random.Next(100, 2500)},{hour},{new[] { "SEA", "SFO", "LAX" }[random.Next(3)]},{(hour > 17 || random.NextDouble() < 0.1 ? "true" : "false")}\n");
        })));
        File.WriteAllText(Path.Combine(_folder, "delays.csv"), "origin,date,delay\nSEA,2001-01-02T10:00:00,5.5\n");
        File.WriteAllText(Path.Combine(_folder, "defs.yaml"), "entities:\n  airport: {join_keys: [origin]}\nfeature_views:\n  delays:\n    entities: [airport]\n    source: delays.csv\n    timestamp: date\n    features: {delay: double}\n");
        var prefix = Path.Combine(_folder, "jupyter");
        var install = await CliAsync("kernel", "install", "--prefix", prefix, "--dotnet-interactive", RepoPaths.Of(".tools", "dotnet-interactive"));
        Assert.True(install.ExitCode == 0, install.Output);
        var train = $"#!train --data {Path.Combine(_folder, "rows.csv")} --label late --leaves 4 --min-rows-per-leaf 2 --experiment jupyter";

        var first = await ChecksAsync(
            ("load", StdioHost.LoadCode),
            ("lsmagic", "#!lsmagic"),
            ("train", train + " --trees 10 --run-name ten"),
            ("train_again", train + " --trees 20 --run-name twenty"),
            ("features", $"#!features apply {Path.Combine(_folder, "defs.yaml")}\n#!features list"));

        Assert.All(first, c => Assert.Equal("ok", (string?)c.Value!["status"]));
        Assert.Contains(Texts(first["load"]!), t => t.StartsWith("NotebookMl 0.1.0 loaded into the 'csharp' kernel", StringComparison.Ordinal));
        var magics = string.Concat(Outputs(first["lsmagic"]!).Select(o => (string?)o["html"] + (string?)o["text"]));
        Assert.All(new[] { "#!train", "#!runs", "#!features" }, verb => Assert.Contains(verb, magics));
        Assert.Matches(@"^lightgbm binary: 320 training rows, 80 test rows, fit in [0-9.]+ s; run [0-9a-f]{32}", Texts(first["train"]!).Single(t => t.StartsWith("lightgbm", StringComparison.Ordinal)));
        // Progress: the notebookml kernel's display (bar, stage, validation curve), updated in place.
        Assert.Contains(Outputs(first["train"]!), o => (string?)o["type"] == "update_display_data" && ((string?)o["html"] ?? "").Contains("<progress", StringComparison.Ordinal) && ((string?)o["html"] ?? "").Contains("<svg", StringComparison.Ordinal));
        Assert.StartsWith("Applied", Texts(first["features"]!)[0]);
        Assert.Contains("delays", Texts(first["features"]!)[1]);

        // The runs the kernel tracked are the workspace's: the CLI lists them.
        var listed = await CliAsync("runs", "list", "--experiment", "jupyter", "--json");
        Assert.True(listed.ExitCode == 0, listed.Output);
        var runs = JsonNode.Parse(listed.StandardOutput)!.AsArray();
        Assert.Equal(["twenty", "ten"], runs.Select(r => (string?)r!["name"]));

        // Each run records the cell it came from: its first line and a hash of its code.
        var shown = await CliAsync("runs", "show", (string)runs[1]!["id"]!, "--json");
        Assert.True(shown.ExitCode == 0, shown.Output);
        Assert.Matches(@"^#!train --data .* #[0-9a-f]{8}$", (string?)JsonNode.Parse(shown.StandardOutput)!["cell"]);

        var second = await ChecksAsync(("load", StdioHost.LoadCode), ("compare", $"#!runs compare {(string?)runs[0]!["id"]} {(string?)runs[1]!["id"]}"));

        Assert.True((string?)second["compare"]!["status"] == "ok", second["compare"]!.ToJsonString()[..Math.Min(2000, second["compare"]!.ToJsonString().Length)]);
        var html = string.Concat(Outputs(second["compare"]!).Select(o => (string?)o["html"]));
        Assert.Matches("<tr class=\"differs\"[^>]*><td[^>]*>trees</td><td[^>]*>20</td><td[^>]*>10</td>", html);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<JsonObject> ChecksAsync(params (string Name, string Code)[] checks)
    {
        var spec = Path.Combine(_folder, "checks.json");
        var output = Path.Combine(_folder, "checks.out.json");
        File.WriteAllText(spec, JsonSerializer.Serialize(new { cwd = _folder, checks = checks.Select(c => new[] { c.Name, c.Code }) }));
        var run = await ProcessRunner.RunAsync(
            RepoPaths.SystemPython,
            [RepoPaths.Of("tests", "NotebookMl.Interactive.Tests", "dotnet_jupyter_checks.py"), spec, output],
            TimeSpan.FromMinutes(8),
            Environment(),
            _folder);
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonNode.Parse(File.ReadAllText(output))!.AsObject();
    }

    private Task<ProcessResult> CliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(2), Environment(), _folder);

    private Dictionary<string, string> Environment() => new()
    {
        ["CI"] = "true",
        ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml"),
        ["JUPYTER_PATH"] = Path.Combine(_folder, "jupyter", "share", "jupyter"),
        ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    private static JsonObject[] Outputs(JsonNode check) => check["outputs"]!.AsArray().Select(o => o!.AsObject()).ToArray();

    private static string[] Texts(JsonNode check) =>
        Outputs(check).Where(o => (string?)o["type"] is "display_data" or "execute_result").Select(o => (string)o["text"]!).Where(t => t.Length > 0).ToArray();
}
