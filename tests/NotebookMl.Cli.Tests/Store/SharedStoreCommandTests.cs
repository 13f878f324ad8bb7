using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NotebookMl.Cli.Tests.Registry;
using NotebookMl.Cli.Tests.Serving;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// A shared PostgreSQL store from the shell: writers in several processes at once (registrations, alias moves, metric
/// points), two endpoints under wrk following one registry, and the roles of docs/store.md (a read-only role reads and cannot write).
/// </summary>
public sealed class SharedStoreCommandTests : IDisposable
{
    private const string Body = """{"inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [500]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}""";
    private readonly TestStore _store = new(postgres: true, "notebookml-shared-cli-");
    private readonly HttpClient _http = new();

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

    [Fact]
    public async Task Two_replicas_on_one_store_swap_on_every_promotion_made_elsewhere_and_no_request_fails()
    {
        var (cli, first, second) = await ReplicasAsync(versions: 3);
        using var stopFirst = first;
        using var stopSecond = second;
        var replicas = new[] { first.Url.TrimEnd('/'), second.Url.TrimEnd('/') };

        // wrk on both replicas the whole time, in rounds of 2 s, each round's summary kept.
        await File.WriteAllTextAsync(Path.Combine(_store.Folder, "body.json"), Body);
        await File.WriteAllTextAsync(Path.Combine(_store.Folder, "post.lua"), """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            local f = io.open("body.json", "r"); wrk.body = f:read("*a"); f:close()
            done = function(summary, latency, requests) io.write(string.format("requests=%d non2xx=%d errors=%d\n", summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout)) end
            """);
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            var rounds = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                var runs = replicas.Select(r => ProcessRunner.RunAsync("wrk", ["-t1", "-c2", "-d2s", "-s", "post.lua", r + "/v2/models/flights/infer"], TimeSpan.FromMinutes(1), workingDirectory: _store.Folder));
                rounds.AddRange((await Task.WhenAll(runs)).Select(r => r.ExitCode == 0 ? r.StandardOutput.Trim().Split('\n')[^1] : $"wrk exited {r.ExitCode}: {r.Output}"));
            }

            return rounds;
        });

        // Ten promotions from another process; each replica serves the new version within seconds.
        var swaps = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            var version = (i + 1) % 3 + 1;
            var moved = await cli.RunAsync("models", "alias", "flights", "champion", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(moved.ExitCode == 0, moved.Output);
            var clock = Stopwatch.StartNew();
            foreach (var replica in replicas)
            {
                while ((await AskAsync(replica)).Version != version.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{replica} still serves another version {clock.Elapsed} after @champion moved to {version}");
                    await Task.Delay(20);
                }
            }

            swaps.Add(clock.Elapsed);
        }

        await stop.CancelAsync();
        var rounds = await traffic;

        Assert.All(rounds, r => Assert.Matches(@"^requests=\d+ non2xx=0 errors=0$", r));
        var answered = rounds.Sum(r => long.Parse(r["requests=".Length..r.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(answered > 1000, $"{answered} requests answered");
        Assert.Equal(10, swaps.Count);
        // Either replica tells the registry's view of it: the version it serves now.
        foreach (var replica in replicas)
        {
            var shown = await cli.RunAsync("models", "show", "flights", "--endpoint", replica, "--json");
            Assert.True(shown.ExitCode == 0, shown.Output);
            Assert.Matches(@"""serving_version"":\s*""2""", shown.StandardOutput);
        }
    }

    [Fact]
    public async Task A_promotion_whose_transaction_fails_leaves_the_alias_where_it_was_on_every_replica()
    {
        var (cli, first, second) = await ReplicasAsync(versions: 2);
        using var stopFirst = first;
        using var stopSecond = second;
        async Task<string?> ServedAsync(ServeProcess replica)
        {
            var (status, version) = await AskAsync(replica.Url.TrimEnd('/'));
            Assert.Equal(HttpStatusCode.OK, status);
            return version;
        }

        var events = Query("SELECT count(*) FROM registry_events").Single();
        // The store fails the promotion's transaction at its last write, the history row, after the alias row changed.
        PostgresServer.Shared.Execute(_store.Database!, """
            CREATE FUNCTION refuse_history() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'alias history is full'; END $$;
            CREATE TRIGGER refuse_history BEFORE INSERT ON alias_history FOR EACH ROW EXECUTE FUNCTION refuse_history();
            """);
        var failed = await cli.RunAsync("models", "promote", "flights/2", "--to", "champion", "--reason", "better");

        Assert.Equal(1, failed.ExitCode);
        var line = Assert.Single(failed.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("alias history is full", line, StringComparison.Ordinal);
        Assert.Equal([1], Query("SELECT version FROM model_aliases WHERE name = 'flights' AND alias = 'champion'").Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(events, Query("SELECT count(*) FROM registry_events").Single());
        // Past the replicas' poll interval and any notification, each still serves version 1.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        foreach (var replica in new[] { first, second })
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("1", await ServedAsync(replica));
            }
        }

        // Once the store takes it, the same promotion moves both.
        PostgresServer.Shared.Execute(_store.Database!, "DROP TRIGGER refuse_history ON alias_history");
        var promoted = await cli.RunAsync("models", "promote", "flights/2", "--to", "champion", "--reason", "better");
        Assert.True(promoted.ExitCode == 0, promoted.Output);
        foreach (var replica in new[] { first, second })
        {
            var clock = Stopwatch.StartNew();
            while (await ServedAsync(replica) != "2")
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{replica.Url} still serves version 1 {clock.Elapsed} after the promotion");
                await Task.Delay(20);
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _store.Dispose();
    }

    // Trains a model, registers it as 'flights' VERSIONS times with @champion at 1, and starts two replicas on the store.
    private async Task<(RegistryCli Cli, ServeProcess First, ServeProcess Second)> ReplicasAsync(int versions)
    {
        var cli = new RegistryCli(_store.Folder);
        var runId = await cli.TrainAsync();
        for (var i = 0; i < versions; i++)
        {
            Assert.Equal(0, (await cli.RunAsync("models", "register", "flights", "--run", runId)).ExitCode);
        }

        Assert.Equal(0, (await cli.RunAsync("models", "alias", "flights", "champion", "1")).ExitCode);
        return (cli, await ServeProcess.StartAsync(_store.Folder, "serve", "--port", "0"), await ServeProcess.StartAsync(_store.Folder, "serve", "--port", "0"));
    }

    // One request to a replica: its status and the version that answered.
    private async Task<(HttpStatusCode Status, string? Version)> AskAsync(string replica)
    {
        using var answer = await _http.PostAsync(replica + "/v2/models/flights/infer", new StringContent(Body, Encoding.UTF8, "application/json"));
        return (answer.StatusCode, answer.IsSuccessStatusCode ? (string?)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["model_version"] : null);
    }

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
