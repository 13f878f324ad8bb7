using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Features;

/// <summary>The feature store verbs from a real notebook run by the kernel, and from the shell.</summary>
public sealed class FeaturesCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-features-cli-").FullName;

    public FeaturesCommandTests()
    {
        File.WriteAllText(Path.Combine(_folder, "delays.csv"), "origin,date,delay\nSEA,2001-01-02T10:00:00,5.5\nSEA,2001-01-03T10:00:00,7.5\nSFO,2001-01-02T12:00:00,3.0\n");
        File.WriteAllText(Path.Combine(_folder, "entities.csv"), "origin,when,label\nSEA,2001-01-02T11:00:00,1\nSEA,2001-01-04T00:00:00,0\nLAX,2001-01-04T00:00:00,1\n");
        File.WriteAllText(Path.Combine(_folder, "defs.yaml"), """
            entities:
              airport:
                join_keys: [origin]
            feature_views:
              delays:
                entities: [airport]
                source: delays.csv
                timestamp: date
                features:
                  delay: double
            """);
    }

    [Fact]
    public async Task The_magic_commands_apply_show_materialize_retrieve_and_look_up_in_a_notebook()
    {
        var notebook = Path.Combine(_folder, "features.ipynb");
        var cells = new[]
        {
            "#!features apply defs.yaml",
            "#!features show delays",
            "#!features materialize 2001-01-01 2001-02-01",
            "#!features historical --entities entities.csv --features delays:delay --timestamp-column when --out train.parquet",
            "#!features online --features delays:delay --key origin=SEA",
        };
TestNotebook.Write(notebook, cells);

        var result = await RunAsync("run", notebook);

        Assert.True(result.ExitCode == 0, result.Output);
        var outputs = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "features.out.ipynb")))!["cells"]!.AsArray()
            .Select(c => string.Concat(c!["outputs"]!.AsArray().Select(o => Text(o!["data"]?["text/html"])))).ToArray();
        Assert.Contains("feature_view", outputs[0]);
        Assert.Contains("<svg", outputs[1]);
        Assert.Matches("<td[^>]*>delays</td><td[^>]*>2001-01-01 00:00:00</td><td[^>]*>2001-02-01 00:00:00</td><td[^>]*>2</td>", outputs[2]);
        Assert.Contains("3 rows written to", outputs[3]);
        Assert.Matches("<td[^>]*>delays:delay</td><td[^>]*>7.5</td>", outputs[4]);
        Assert.True(File.Exists(Path.Combine(_folder, "train.parquet")));
    }

    [Fact]
    public async Task The_cli_verbs_give_json_and_bad_input_is_one_line_with_exit_code_2()
    {
        var apply = await RunAsync("features", "apply", "defs.yaml", "--json");
        var historical = await RunAsync("features", "historical", "--entities", "entities.csv", "--features", "delays:delay", "--timestamp-column", "when", "--json");
        var list = await RunAsync("features", "list", "--json");
        var badKey = await RunAsync("features", "online", "--features", "delays:delay", "--key", "SEA");
        var badView = await RunAsync("features", "show", "nope");

        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Equal(2, JsonNode.Parse(apply.StandardOutput)!.AsArray().Count);
        Assert.True(historical.ExitCode == 0, historical.Output);
        var retrieved = JsonNode.Parse(historical.StandardOutput)!;
        Assert.Equal((3, 1), (retrieved["rows"]!.GetValue<int>(), retrieved["views"]!["delays"]!.GetValue<int>()));
        Assert.Equal("delays", JsonNode.Parse(list.StandardOutput)!.AsArray().Single()!["name"]!.GetValue<string>());
        Assert.Equal((2, "notebookml: --key: 'SEA' is not NAME=VALUE (e.g. origin=SEA).\n"), (badKey.ExitCode, badKey.StandardError));
        Assert.Equal((2, "notebookml: no feature view named 'nope'; views: delays.\n"), (badView.ExitCode, badView.StandardError));
    }

    [Fact]
    public async Task Every_null_of_an_online_lookup_says_why_and_a_replay_as_of_the_datas_time_has_values()
    {
        File.WriteAllText(Path.Combine(_folder, "defs.yaml"), File.ReadAllText(Path.Combine(_folder, "defs.yaml")).Replace("    timestamp: date", "    timestamp: date\n    ttl: 1d", StringComparison.Ordinal));
        Assert.Equal(0, (await RunAsync("features", "apply", "defs.yaml")).ExitCode);
        async Task<JsonNode> LookUpAsync(string origin) =>
            JsonNode.Parse((await RunAsync("features", "online", "--features", "delays:delay", "--key", $"origin={origin}", "--json")).StandardOutput)!["features"]![0]!;

        var now = await RunAsync("features", "materialize", "2001-01-01", "2001-02-01");
        var (expired, never) = (await LookUpAsync("SEA"), await LookUpAsync("LAX"));
        var replay = await RunAsync("features", "materialize", "2001-01-01", "2001-02-01", "--as-of", "2001-01-04", "--json");
        var (fresh, stale) = (await LookUpAsync("SEA"), await LookUpAsync("SFO"));
        var text = await RunAsync("features", "online", "--features", "delays:delay", "--key", "origin=SFO");

        Assert.Contains("TTLs judged by the clock (now): use --as-of to replay history", now.StandardOutput);
        Assert.Equal(("expired", null), ((string?)expired["outcome"], (double?)expired["value"]));
        Assert.StartsWith("expired: its last event, 2001-01-03 10:00, is older than the view's TTL (1d) as of 20", (string?)expired["why_null"]);
        Assert.Equal(("missing", "never materialized for origin=LAX"), ((string?)never["outcome"], (string?)never["why_null"]));
        Assert.True(replay.ExitCode == 0, replay.Output);
        Assert.Equal("2001-01-04T00:00:00Z", (string?)JsonNode.Parse(replay.StandardOutput)![0]!["as_of"]);
        // As of 2001-01-04 00:00, SEA's last event (01-03 10:00) is within the day; SFO's (01-02 12:00) is not.
        Assert.Equal(("hit", 7.5, null), ((string?)fresh["outcome"], (double?)fresh["value"], (string?)fresh["why_null"]));
        Assert.Equal("expired: its last event, 2001-01-02 12:00, is older than the view's TTL (1d) as of 2001-01-04 00:00", (string?)stale["why_null"]);
        Assert.Contains("expired: its last event, 2001-01-02 12:00", text.StandardOutput);
    }

    [Fact]
    public async Task A_workspace_whose_notebookml_yaml_names_redis_materializes_into_redis_and_reads_back_from_it()
    {
        using var redis = new RedisServer();
        File.WriteAllText(Path.Combine(_folder, "notebookml.yaml"), $"online_store: redis://{redis.Address}\n");

        // No NOTEBOOKML_HOME: the CLI finds the workspace (and its notebookml.yaml) from its folder.
        var apply = await RunInWorkspaceAsync("features", "apply", "defs.yaml");
        var materialize = await RunInWorkspaceAsync("features", "materialize", "2001-01-01", "2001-01-05", "--json");
        var online = await RunInWorkspaceAsync("features", "online", "--features", "delays:delay", "--key", "origin=SEA", "--json");

        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.True(materialize.ExitCode == 0, materialize.Output);
        // Long work says where it is, a view at a time (on stderr when the output is a pipe).
        Assert.Contains("delays (1 of 1)", materialize.StandardError);
        Assert.True(online.ExitCode == 0, online.Output);
        Assert.Equal(7.5, JsonNode.Parse(online.StandardOutput)!["features"]![0]!["value"]!.GetValue<double>());
        using var client = StackExchange.Redis.ConnectionMultiplexer.Connect(redis.Address);
        var database = client.GetDatabase();
        Assert.Equal(2L, (long)database.Execute("DBSIZE"));
        Assert.Equal("7.5", System.Text.Json.JsonDocument.Parse((string)database.HashGet("notebookml:delays:origin=SEA", "vals")!).RootElement.GetProperty("delay").GetRawText());

        // The same lookup with Redis gone is one clear line, not a silent fallback to SQLite.
        redis.Dispose();
        var unreachable = await RunInWorkspaceAsync("features", "online", "--features", "delays:delay", "--key", "origin=SEA");
        Assert.NotEqual(0, unreachable.ExitCode);
        Assert.Contains($"online_store redis://{redis.Address}: cannot connect", unreachable.StandardError);
        Assert.Single(unreachable.StandardError.Trim().Split('\n'));
    }

    private static string Text(JsonNode? node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : node?.GetValue<string>() ?? "";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<ProcessResult> RunInWorkspaceAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true" }, _folder, removeVariables: ["NOTEBOOKML_HOME"]);

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") }, _folder);
}
