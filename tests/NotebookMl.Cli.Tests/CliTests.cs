using System.Text.Json.Nodes;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests;

/// <summary>The built <c>notebookml</c> executable, run as a user runs it.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-cli-").FullName;

    [Fact]
    public async Task Version_prints_the_product_version()
    {
        var result = await RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Kernel_install_with_a_prefix_writes_a_kernelspec_that_runs_the_built_kernel()
    {
        var result = await RunAsync("kernel", "install", "--prefix", _folder, "--name", "nbml-test");

        Assert.True(result.ExitCode == 0, result.Output);
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "share", "jupyter", "kernels", "nbml-test", "kernel.json")))!;
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        Assert.Equal(RepoPaths.CliExecutable, argv[0]);
        Assert.True(File.Exists(argv[0]));
        Assert.Equal(["kernel", "start", "--connection-file", "{connection_file}"], argv[1..]);
        Assert.Equal("C# (NotebookMl)", spec["display_name"]!.GetValue<string>());
        Assert.Equal("C#", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());

        // Jupyter's launcher and pickers show the logos jupyter_client finds beside kernel.json.
        var resources = await ProcessRunner.RunAsync(RepoPaths.SystemPython,
            ["-c", "import json, os; from jupyter_client.kernelspec import KernelSpecManager; d = KernelSpecManager().get_kernel_spec('nbml-test').resource_dir; print(json.dumps({f[:-4]: os.path.join(d, f) for f in os.listdir(d) if f.startswith('logo-')}))"],
            TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["JUPYTER_PATH"] = Path.Combine(_folder, "share", "jupyter") });
        Assert.True(resources.ExitCode == 0, resources.Output);
        var found = JsonNode.Parse(resources.StandardOutput)!;
        foreach (var size in new[] { 32, 64 })
        {
            var png = await File.ReadAllBytesAsync(found[$"logo-{size}x{size}"]!.GetValue<string>());
            Assert.Equal("\x89PNG", System.Text.Encoding.Latin1.GetString(png, 0, 4));
            Assert.Equal((size, size), (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        }
    }

    [Fact]
    public async Task Kernel_install_with_user_honours_JUPYTER_DATA_DIR()
    {
        var result = await RunAsync(new Dictionary<string, string> { ["JUPYTER_DATA_DIR"] = _folder }, "kernel", "install", "--user");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(File.Exists(Path.Combine(_folder, "kernels", "notebookml-csharp", "kernel.json")));
    }

    [Fact]
    public async Task Kernel_install_rejects_two_locations_at_once()
    {
        var result = await RunAsync("kernel", "install", "--user", "--prefix", _folder);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Choose at most one of --user, --prefix DIR and --sys-prefix.", result.Output);
    }

    [Fact]
    public async Task Convert_turns_a_notebook_into_a_dib_and_back()
    {
        var dib = Path.Combine(_folder, "getting-started.dib");
        var ipynb = Path.Combine(_folder, "round-trip.ipynb");

        var toDib = await RunAsync("convert", RepoPaths.Of("notebooks", "getting-started.ipynb"), dib);
        var back = await RunAsync("convert", dib, ipynb);

        Assert.True(toDib.ExitCode == 0 && back.ExitCode == 0, toDib.Output + back.Output);
        Assert.Contains("#!csharp", await File.ReadAllTextAsync(dib));
        Assert.Contains("#!profile df", await File.ReadAllTextAsync(ipynb));
    }

    [Fact]
    public async Task Converting_a_missing_file_is_one_clear_line_and_exit_code_2()
    {
        var result = await RunAsync("convert", Path.Combine(_folder, "missing.ipynb"), Path.Combine(_folder, "out.dib"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"notebookml: {Path.Combine(_folder, "missing.ipynb")}: file not found", result.StandardError.Trim());
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task Kernel_start_with_a_missing_connection_file_fails_clearly()
    {
        var result = await RunAsync("kernel", "start", "--connection-file", Path.Combine(_folder, "nope.json"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("connection file not found", result.StandardError);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task Kernel_start_on_a_port_in_use_fails_clearly_instead_of_hanging()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
        var connection = Path.Combine(_folder, "kernel.json");
        await File.WriteAllTextAsync(connection, $$"""
            {"ip": "127.0.0.1", "transport": "tcp", "key": "k", "signature_scheme": "hmac-sha256",
             "shell_port": {{port}}, "iopub_port": {{FreePort()}}, "stdin_port": {{FreePort()}}, "control_port": {{FreePort()}}, "hb_port": {{FreePort()}}}
            """);

        var result = await RunAsync("kernel", "start", "--connection-file", connection);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"cannot listen on tcp://127.0.0.1:{port}", result.StandardError);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Theory]
    [InlineData(new[] { "runs", "list", "--bogus" }, "notebookml: unknown option '--bogus' for 'notebookml runs list'; see 'notebookml runs list --help'.")]
    [InlineData(new[] { "runs", "list", "--ordr-by", "name" }, "notebookml: unknown option '--ordr-by' for 'notebookml runs list' (did you mean '--order-by'?); see 'notebookml runs list --help'.")]
    [InlineData(new[] { "models", "nope" }, "notebookml: unknown command 'nope' for 'notebookml models'; its commands: register, list, show, alias, promote, history, archive, tag, export, publish, webhook, feedback, canary, shadow, shadow-report.")]
    [InlineData(new[] { "nope" }, "notebookml: unknown command 'nope' for 'notebookml'; its commands: init, kernel, convert, run, describe, schedule, serve, store, profile, runs, features, train, models, predict, drift, docs.")]
    [InlineData(new[] { "modles", "list" }, "notebookml: unknown command 'modles' for 'notebookml' (did you mean 'models'?); its commands: init, kernel, convert, run, describe, schedule, serve, store, profile, runs, features, train, models, predict, drift, docs.")]
    [InlineData(new[] { "runs", "list", "-n", "abc" }, "notebookml: --limit: 'abc' is not a whole number.")]
    [InlineData(new[] { "train", "--model", "lgbm" }, "notebookml: --model: 'lgbm' is not one of lightgbm, fasttree, sdca, lbfgs, mlp, cnn.")]
    [InlineData(new[] { "models" }, "notebookml: 'notebookml models' needs a command: register, list, show, alias, promote, history, archive, tag, export, publish, webhook, feedback, canary, shadow, shadow-report; see 'notebookml models --help'.")]
    public async Task A_command_line_that_does_not_parse_is_bad_input_in_one_line_with_the_nearest_spelling(string[] arguments, string expected)
    {
        var result = await RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.StandardError.TrimEnd('\n'));
        Assert.Empty(result.StandardOutput);
        Assert.DoesNotContain("System.", result.StandardError);
    }

    [Fact]
    public async Task Profile_is_the_same_verb_as_the_magic_command_with_text_or_json_output()
    {
        var csv = Path.Combine(_folder, "weather.csv");
        await File.WriteAllTextAsync(csv, "date,temp,weather\n2012-01-01,12.8,rain\n2012-01-02,10.6,sun\n2012-01-03,11.7,rain\n");

        var text = await RunAsync("profile", csv);
        var json = await RunAsync("profile", csv, "--json");

        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains("3 rows × 3 columns", text.StandardOutput);
        var rows = JsonNode.Parse(json.StandardOutput)!["rows"]!.AsArray();
        var temp = rows.Single(r => r!["column"]!.GetValue<string>() == "temp")!;
        Assert.Equal("11.7", temp["mean"]!.GetValue<string>());
        Assert.Equal("10.6", temp["min"]!.GetValue<string>());

        // Parquet and Arrow read as every other verb reads them, with a query over the file.
        var parquet = await RunAsync("profile", RepoPaths.Of("datasets", "flights-3m.parquet"), "--query", "SELECT distance, origin FROM source WHERE date < '2001-01-02'", "--json");
        Assert.True(parquet.ExitCode == 0, parquet.Output);
        var distance = JsonNode.Parse(parquet.StandardOutput)!["rows"]!.AsArray().Single(r => (string?)r!["column"] == "distance")!;
        string[] expected;
        using (var duckdb = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            duckdb.Open();
            using var oracle = duckdb.CreateCommand();
            oracle.CommandText = $"SELECT count(distance), min(distance), max(distance), count(DISTINCT origin) FROM read_parquet('{RepoPaths.Of("datasets", "flights-3m.parquet")}') WHERE date < '2001-01-02'";
            using var reader = oracle.ExecuteReader();
            reader.Read();
            expected = Enumerable.Range(0, 4).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray();
        }

        Assert.Equal((expected[0], expected[1], expected[2]), ((string?)distance["count"], (string?)distance["min"], (string?)distance["max"]));
        Assert.Equal(expected[3], (string?)JsonNode.Parse(parquet.StandardOutput)!["rows"]!.AsArray().Single(r => (string?)r!["column"] == "origin")!["distinct"]);
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    private static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(1), environment);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
