using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// A shared PostgreSQL store from the shell: writers in several processes at once (registrations, alias moves, metric
/// points), and the roles of docs/store.md (a read-only role reads and cannot write).
/// </summary>
public sealed class SharedStoreCommandTests : IDisposable
{
    private readonly TestStore _store = new(postgres: true, "notebookml-shared-cli-");

    [Fact]
    public async Task Writers_in_eight_processes_at_once_lose_nothing_and_duplicate_nothing()
    {
        Assert.Equal(0, (await Cli("store", "upgrade")).ExitCode);
        // 4 processes × 25 registrations, each moving @latest; 4 processes × 50,000 metric points; all at once.
        var registrations = Enumerable.Range(0, 4).Select(p => Notebook($"register-{p}", $$"""
            using NotebookMl.Core.Registry;
            var registry = ModelRegistry.OpenCurrent();
            for (var i = 0; i < 25; i++)
            {
                var version = registry.Register("busy", new ModelRegistration([{{p}}, (byte)i, 1, 2, 3]));
                registry.SetAlias("busy", "latest", version.Version, "process {{p}}");
            }
            """));
        var metrics = Enumerable.Range(0, 4).Select(p => Notebook($"metrics-{p}", $$"""
            using NotebookMl.Core.Tracking;
            var run = Tracker.ForCurrentWorkspace().StartRun("load", "writer-{{p}}");
            for (var step = 0; step < 50_000; step++)
            {
                run.LogMetric("loss", 1.0 / (step + 1), step);
            }

            run.End();
            """));
        var results = await Task.WhenAll(registrations.Concat(metrics).Select(n => Cli("run", n)));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.Equal(Enumerable.Range(1, 100).Select(v => (object?)(long)v), Query("SELECT version FROM model_versions WHERE name = 'busy' ORDER BY version"));
        Assert.Equal([100L], Query("SELECT COUNT(*) FROM registry_events WHERE type = 'model_version.created'"));
        // Every move of @latest is recorded once, and each starts where the one before it left the alias.
        var moves = Query("SELECT COALESCE(from_version, 0) || ' ' || to_version FROM alias_history WHERE name = 'busy' ORDER BY id")
            .Select(m => ((string)m!).Split(' ')).ToArray();
        Assert.Equal(100, moves.Length);
        Assert.Equal("0", moves[0][0]);
        Assert.All(moves.Zip(moves.Skip(1)), pair => Assert.Equal(pair.First[1], pair.Second[0]));
        Assert.Equal(Enumerable.Repeat("50000 50000 0 49999", 4), Query(
            "SELECT COUNT(*) || ' ' || COUNT(DISTINCT step) || ' ' || MIN(step) || ' ' || MAX(step) FROM metrics GROUP BY run_id").Select(v => (string?)v));
    }

    [Fact]
    public async Task A_read_only_role_reads_and_each_write_fails_with_one_line_and_exit_code_1()
    {
        Assert.Equal(0, (await Cli("store", "upgrade")).ExitCode);
        Assert.Equal(0, (await Cli("models", "register", "delays", "--onnx", RepoPaths.Of("tests", "NotebookMl.Serving.Tests", "Data", "failing.onnx"))).ExitCode);
        // The read-only role exactly as docs/store.md grants it, with a password from PGPASSWORD.
        PostgresServer.Shared.Execute(_store.Database!, "CREATE ROLE ml_reader_cli LOGIN PASSWORD 'reader-pass'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ml_reader_cli;");
        var reader = new Dictionary<string, string> { ["NOTEBOOKML_STORE"] = PostgresServer.Shared.Url(_store.Database!, "ml_reader_cli"), ["PGPASSWORD"] = "reader-pass" };

        foreach (var read in new[] { new[] { "models", "list" }, ["models", "show", "delays/1"], ["models", "history", "delays"], ["runs", "list"], ["store", "info"] })
        {
            var result = await Cli(read, reader);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', read)}: {result.Output}");
        }

        foreach (var write in new[] { new[] { "models", "alias", "delays", "champion", "1" }, ["models", "archive", "delays/1"], ["models", "tag", "delays/1", "team", "ops"] })
        {
            var result = await Cli(write, reader);
            Assert.True(result.ExitCode == 1, $"{string.Join(' ', write)}: {result.Output}");
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("notebookml: permission denied: permission denied for table ", line, StringComparison.Ordinal);
            Assert.EndsWith("A pipeline or admin role needs it (docs/store.md lists the GRANTs).", line, StringComparison.Ordinal);
        }

        var wrong = await Cli(["runs", "list"], new Dictionary<string, string>(reader) { ["PGPASSWORD"] = "wrong" });
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("the store refused the login", wrong.StandardError, StringComparison.Ordinal);
        Assert.Equal(["1"], Query("SELECT string_agg(version::text, ',') FROM model_versions").Select(v => (string?)v));
    }

    public void Dispose() => _store.Dispose();

    private IReadOnlyList<object?> Query(string sql) => PostgresServer.Shared.Query(_store.Database!, sql);

    private string Notebook(string name, string code)
    {
        var path = Path.Combine(_store.Folder, name + ".dib");
        File.WriteAllText(path, "#!csharp\n\n" + code + "\n");
        return path;
    }

    private Task<ProcessResult> Cli(params string[] arguments) => Cli(arguments, null);

    private Task<ProcessResult> Cli(string[] arguments, IReadOnlyDictionary<string, string>? environment) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(5), environment?.ToDictionary(), _store.Folder);
}
