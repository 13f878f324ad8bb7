using System.Net;
using System.Text;
using NotebookMl.Cli.Tests.Registry;
using NotebookMl.Cli.Tests.Serving;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// Endpoints on other machines: two replicas in folders of their own, on one PostgreSQL store and one S3 root (s3rver),
/// load the champion's bytes from S3 into their caches and publish their prediction logs there. Once both are gone, a
/// third workspace sees their traffic, and labels sent from a fourth match their answers.
/// </summary>
public sealed class SharedMonitoringCommandTests : IDisposable
{
    private readonly TestStore _store = new(postgres: true, "notebookml-monitoring-");
    private readonly S3Server _s3 = new();

    [Fact]
    public async Task Replicas_in_folders_of_their_own_serve_from_S3_and_their_logs_are_read_where_they_never_ran()
    {
        var laptop = Workspace("laptop");
        var train = await Cli(laptop, "train", "--data", RepoPaths.Of("datasets", "flights-3m.parquet"), "--query", RegistryCli.Query, "--label", "late", "--trees", "5", "--threads", "2", "--json");
        Assert.True(train.ExitCode == 0, train.Output);
        var runId = RegistryCli.Json(train)["run_id"]!.GetValue<string>();
        Assert.Equal(0, (await Cli(laptop, "models", "register", "flights", "--run", runId)).ExitCode);
        Assert.Equal(0, (await Cli(laptop, "models", "alias", "flights", "champion", "1")).ExitCode);

        var (east, west) = (Workspace("east"), Workspace("west"));
        using var http = new HttpClient();
        foreach (var replica in new[] { east, west })
        {
            using var server = await ServeProcess.StartAsync(replica, _s3.Environment, "serve", "--port", "0");
            for (var i = 0; i < 30; i++)
            {
                var body = $$"""{"id": "{{Path.GetFileName(replica)}}-{{i}}", "inputs": [{"name": "distance", "datatype": "FP32", "shape": [1, 1], "data": [{{400 + i}}]}, {"name": "origin", "datatype": "BYTES", "shape": [1, 1], "data": ["ORD"]}, {"name": "hour", "datatype": "FP32", "shape": [1, 1], "data": [17]}]}""";
                using var answer = await http.PostAsync(server.Url.TrimEnd('/') + "/v2/models/flights/infer", new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            Assert.Equal(0, await server.StopAsync());
            // The replica read the champion's ONNX from S3 into its cache, by digest.
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(replica, ".notebookml", "cache", "registry", "sha256"), "*", SearchOption.AllDirectories));
            Assert.DoesNotContain(server.Lines, l => l.Contains("not yet published", StringComparison.Ordinal));
        }

        // Both machines are gone; their traffic is not.
        Directory.Delete(east, recursive: true);
        Directory.Delete(west, recursive: true);
        var shown = await Cli(laptop, "models", "show", "flights", "--since", "1h", "--json");
        Assert.True(shown.ExitCode == 0, shown.Output);
        var serving = RegistryCli.Json(shown)["serving"]!;
        Assert.Equal(60, serving["answered"]!.GetValue<long>());
        Assert.Equal(60, serving["routes"]!.AsArray().Sum(r => r!["requests"]!.GetValue<long>()));

        // Labels sent from a fourth workspace match answers logged by both replicas.
        var reviewer = Workspace("reviewer");
        var labels = Path.Combine(reviewer, "labels.csv");
        File.WriteAllLines(labels, ["request_id,label", .. Enumerable.Range(0, 10).Select(i => $"{(i % 2 == 0 ? "east" : "west")}-{i},{i % 3 % 2}"), "nowhere-1,1"]);
        var feedback = await Cli(reviewer, "models", "feedback", "flights", "--labels", labels, "--json");
        Assert.True(feedback.ExitCode == 0, feedback.Output);
        Assert.Equal((11L, 10L), (RegistryCli.Json(feedback)["saved"]!.GetValue<long>(), RegistryCli.Json(feedback)["matched"]!.GetValue<long>()));
        // The index lists each file by kind: the replicas' logs and the reviewer's labels.
        Assert.Equal(["feedback", "predictions"], Query("SELECT DISTINCT kind FROM monitoring_files ORDER BY kind").Cast<string>().ToArray());
    }

    public void Dispose()
    {
        _s3.Dispose();
        _store.Dispose();
    }

    private IReadOnlyList<object?> Query(string sql) => PostgresServer.Shared.Query(_store.Database!, sql);

    private string Workspace(string name)
    {
        var folder = Path.Combine(_store.Folder, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "notebookml.yaml"), $"{_store.Yaml}artifacts: {_s3.Url("team")}\n");
        return folder;
    }

    private Task<ProcessResult> Cli(string folder, params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3),
            new Dictionary<string, string>(_s3.Environment) { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(folder, ".notebookml") }, folder);
}
