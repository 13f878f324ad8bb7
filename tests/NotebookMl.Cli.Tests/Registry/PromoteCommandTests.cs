using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Registry;

/// <summary>
/// <c>notebookml models promote</c> and what registration records for it: the ONNX signature, reference statistics and the
/// prediction sample; gates that pass and fail; a tampered artifact; registrations from several processes; webhooks.
/// </summary>
public sealed class PromoteCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-promote-cli-").FullName;

    [Fact]
    public async Task Promotion_runs_every_gate_moves_the_alias_only_when_all_pass_and_the_history_keeps_them()
    {
        var runId = await TrainAsync();
        Assert.Equal(0, (await RunAsync("models", "register", "flights", "--run", runId)).ExitCode);
        var registered = await RunAsync("models", "register", "flights", "--run", runId, "--json");

        var first = await RunAsync("models", "promote", "flights/1", "--to", "champion", "--require", "test_auc>=0.55", "--reason", "first model", "--json");
        var refused = await RunAsync("models", "promote", "flights/2", "--to", "champion", "--require", "test_auc>=champion+0.01", "--require", "test_auc>=0.55", "--max-drift", "0.2");
        Assert.Equal(0, (await RunAsync("models", "tag", "flights/1", "reviewed-by", "ops")).ExitCode);
        var shown = await RunAsync("models", "show", "flights@champion", "--json");
        var history = await RunAsync("models", "history", "flights", "--json");

        Assert.True(first.ExitCode == 0, first.Output);
        var gates = Json(first)["gates"]!.AsArray();
        Assert.Equal(["test_auc>=0.55", "onnx reproduces recorded predictions (1e-4)"], gates.Select(g => (string?)g!["gate"]));
        Assert.All(gates, g => Assert.True((bool)g!["passed"]!));
        Assert.Matches(@"^largest difference \S+ (\(.probability., row \d+\) )?over 200 recorded rows$", (string)gates[1]!["value"]!);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Not promoted: 2 of 4 gates failed; @champion of flights did not move", refused.StandardOutput);
        Assert.Contains("test_auc>=champion+0.01", refused.StandardOutput);
        Assert.Contains("drift<=0.2 (PSI)", refused.StandardOutput);
        Assert.Contains("no served traffic of flights in the prediction log", refused.StandardOutput);
        Assert.Equal(1, Json(shown)["version"]!.GetValue<int>());
        Assert.Equal("ops", (string?)Json(shown)["tags"]!["reviewed-by"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)Json(shown)["dataset_digest"]);
        var change = Assert.Single(Json(history).AsArray())!;
        Assert.Equal(("first model", 2), ((string?)change["reason"], change["gates"]!.AsArray().Count));

        // What registration recorded: the graph's signature, and the training rows' reference statistics.
        var version = Json(registered);
        var inputs = version["signature"]!["inputs"]!.AsArray();
        Assert.Equal(["distance:FP32", "origin:BYTES", "hour:FP32"], inputs.Select(i => $"{i!["name"]}:{i["datatype"]}"));
        Assert.Equal([-1, 1], inputs[0]!["shape"]!.AsArray().Select(d => (int)d!));
        var reference = version["reference"]!;
        var rowsTrain = long.Parse((string)version["params"]!["rows_train"]!);
        Assert.Equal(rowsTrain, (long)reference["rows"]!);
        var distance = reference["inputs"]!.AsArray().Single(c => (string?)c!["name"] == "distance")!;
        Assert.Equal(101, distance["numeric"]!["quantiles"]!.AsArray().Count);
        Assert.Equal(rowsTrain, distance["numeric"]!["bins"]!.AsArray().Sum(b => (long)b!["count"]!) + (long)distance["nulls"]!);
        var origin = reference["inputs"]!.AsArray().Single(c => (string?)c!["name"] == "origin")!;
        Assert.Equal(rowsTrain, origin["categorical"]!["top"]!.AsArray().Sum(t => (long)t!["count"]!) + (long)origin["categorical"]!["other"]! + (long)origin["nulls"]!);
        var probability = Assert.Single(reference["predictions"]!.AsArray())!;
        Assert.Equal("probability", (string?)probability["name"]);
        Assert.InRange((double)probability["numeric"]!["max"]!, 0, 1);
    }

    [Fact]
    public async Task The_onnx_gate_refuses_a_tampered_artifact_and_the_alias_stays()
    {
        var runId = await TrainAsync();
        var registered = Json(await RunAsync("models", "register", "flights", "--run", runId, "--json"));
        var sha = (string)registered["onnx_sha256"]!;
        var stored = Path.Combine(_folder, ".notebookml", "registry", "sha256", sha[..2], sha[2..]);
        var bytes = File.ReadAllBytes(stored);
        bytes[^1] ^= 0x5A;
        File.WriteAllBytes(stored, bytes);

        var refused = await RunAsync("models", "promote", "flights/1", "--to", "champion", "--json");

        Assert.Equal(1, refused.ExitCode);
        var gate = Assert.Single(Json(refused)["gates"]!.AsArray())!;
        Assert.False((bool)gate["passed"]!);
        Assert.Contains("content is corrupt", (string)gate["value"]!);
        Assert.Contains("no alias 'champion'", (await RunAsync("models", "show", "flights@champion")).StandardError);
    }

    [Fact]
    public async Task Registrations_from_several_processes_at_once_get_distinct_numbers_and_none_is_lost()
    {
        await TrainAsync();
        Assert.Equal(0, (await RunAsync("models", "list")).ExitCode);

        var processes = Enumerable.Range(0, 4).Select(async _ =>
        {
            var numbers = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                var result = await RunAsync("models", "register", "busy", "--onnx", "late.onnx", "--json");
                Assert.True(result.ExitCode == 0, result.Output);
                numbers.Add(Json(result)["version"]!.GetValue<int>());
            }

            return numbers;
        });
        var all = (await Task.WhenAll(processes)).SelectMany(n => n).Order().ToArray();

        Assert.Equal(Enumerable.Range(1, 12), all);
        Assert.Equal(12, Json(await RunAsync("models", "list", "--json")).AsArray().Single()!["latest_version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_webhook_added_from_the_shell_receives_the_alias_change_and_the_delivery_is_recorded()
    {
        using var receiver = new WebhookReceiver(200);
        await TrainAsync();
        Assert.Equal(0, (await RunAsync("models", "register", "flights", "--onnx", "late.onnx", "--reference", "rows.parquet")).ExitCode);
        var added = await RunAsync("models", "webhook", "add", receiver.Url, "--secret", "s3cret-value", "--events", "alias.set", "--json");
        Assert.True(added.ExitCode == 0, added.Output);

        var promoted = await RunAsync("models", "promote", "flights/1", "--to", "staging");
        var deliveries = await RunAsync("models", "webhook", "deliveries", "--json");

        Assert.True(promoted.ExitCode == 0, promoted.Output);
        var request = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Contains("\"alias\":\"staging\"", request.Body);
        Assert.Equal(Core.Registry.Events.RegistryWebhooks.Sign("s3cret-value", request.Headers["X-NotebookMl-Delivery"], long.Parse(request.Headers["X-NotebookMl-Timestamp"]), request.Body),
            request.Headers[Core.Registry.Events.RegistryWebhooks.SignatureHeader]);
        var delivery = Assert.Single(Json(deliveries).AsArray())!;
        Assert.Equal((200, true), ((int)delivery["status"]!, (bool)delivery["delivered"]!));
    }

    [Fact]
    public async Task A_webhook_to_a_closed_port_delays_neither_the_command_nor_the_hook_after_it()
    {
        using var receiver = new WebhookReceiver(200);
        await TrainAsync();
        Assert.Equal(0, (await RunAsync("models", "register", "flights", "--onnx", "late.onnx", "--reference", "rows.parquet")).ExitCode);
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var closed = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Assert.Equal(0, (await RunAsync("models", "webhook", "add", $"http://127.0.0.1:{closed}/hook", "--secret", "s3cret-value")).ExitCode);
        Assert.Equal(0, (await RunAsync("models", "webhook", "add", receiver.Url, "--secret", "s3cret-value")).ExitCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var moved = await RunAsync("models", "alias", "flights", "champion", "1");
        var took = clock.Elapsed;
        var deliveries = Json(await RunAsync("models", "webhook", "deliveries", "--json")).AsArray();

        Assert.True(moved.ExitCode == 0, moved.Output);
        // Retries of the dead hook would take 0.5 + 1 + 2 s: the command waits for none of them.
        Assert.True(took < TimeSpan.FromSeconds(3), $"models alias took {took.TotalSeconds:0.0} s");
        Assert.Contains("alias.set", Assert.Single(await receiver.WaitForAsync(1)).Headers["X-NotebookMl-Event"]);
        Assert.Equal([(1, false), (1, true)], deliveries.OrderBy(d => (int)d!["webhook_id"]!).Select(d => ((int)d!["attempt"]!, (bool)d["delivered"]!)));
    }

    [Theory]
    [InlineData(new[] { "models", "promote", "flights", "--to", "champion" }, "notebookml: model: 'flights' names no version; promote NAME/VERSION (e.g. flights/3) or NAME@ALIAS.")]
    [InlineData(new[] { "models", "promote", "flights/1", "--to", "champion", "--require", "test_auc" }, "notebookml: --require: 'test_auc' is not a gate; expected METRIC OP VALUE")]
    [InlineData(new[] { "models", "promote", "flights/1", "--to", "Champion" }, "notebookml: --to: 'Champion' is not an alias; use [a-z][a-z0-9_-]* (e.g. champion).")]
    [InlineData(new[] { "models", "promote", "nope/1", "--to", "champion" }, "notebookml: no registered model 'nope'; models: none.")]
    [InlineData(new[] { "models", "webhook", "add", "ftp://example" }, "notebookml: the webhook URL 'ftp://example' is not an http(s) URL.")]
    [InlineData(new[] { "models", "webhook", "add", "http://hooks.example/x", "--secret", "short" }, "notebookml: --secret: a signing secret needs at least 8 characters.")]
    public Task Bad_input_is_one_line_with_exit_code_2(string[] arguments, string expected) => new RegistryCli(_folder).AssertBadInputAsync(arguments, expected);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string> TrainAsync()
    {
        var runId = await new RegistryCli(_folder).TrainAsync();
        WriteReferenceRows();
        return runId;
    }

    private void WriteReferenceRows()
    {
        using var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY (SELECT distance, origin, hour(date) AS hour FROM '{RepoPaths.Of("datasets", "flights-3m.parquet")}' LIMIT 5000) TO '{Path.Combine(_folder, "rows.parquet")}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    private static JsonNode Json(ProcessResult result) => RegistryCli.Json(result);

    private Task<ProcessResult> RunAsync(params string[] arguments) => new RegistryCli(_folder).RunAsync(arguments);
}
