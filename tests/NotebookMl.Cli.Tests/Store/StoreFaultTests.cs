using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Store;

/// <summary>
/// A run logging to a PostgreSQL store that goes away: restarted mid-run, the run finishes with every point; gone past
/// the store timeout (<c>run --store-timeout</c>), the run fails in one line, its points wait in the spool, and
/// <c>store flush</c> sends them, once even when a flush was killed after its commit.
/// Each test has a server of its own, since it stops it.
/// </summary>
public sealed class StoreFaultTests : IDisposable
{
    // Commits reach the WAL before they return: a crash keeps every committed point, as on a production server.
    private readonly PostgresServer _server = new(durable: true);
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-faults-").FullName;
    private readonly string _database;

    public StoreFaultTests()
    {
        _database = _server.CreateDatabase();
        File.WriteAllText(Path.Combine(_folder, "notebookml.yaml"), $"store: {_server.Url(_database)}\n");
    }

    [Fact]
    public async Task A_server_restarted_during_a_run_loses_no_metric_point()
    {
        Assert.Equal(0, (await Cli([], "store", "upgrade")).ExitCode);
        var run = Cli([], "run", Notebook("""
            using NotebookMl.Core.Tracking;
            var run = Tracker.ForCurrentWorkspace().StartRun("faults", "restart");
            for (var step = 0; step < 40_000; step++)
            {
                run.LogMetric("loss", 1.0 / (step + 1), step);
                if (step % 1000 == 999) System.Threading.Thread.Sleep(200);
            }

            run.End();
            """));
        await UntilAsync(() => Count("SELECT COUNT(*) FROM metrics") > 0);
        _server.Stop(immediate: true);
        await Task.Delay(TimeSpan.FromSeconds(2));
        _server.Start();
        var result = await run;

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(40_000, Count("SELECT COUNT(DISTINCT step) FROM metrics"));
        Assert.Equal(40_000, Count("SELECT COUNT(*) FROM metrics"));
        Assert.Equal(["FINISHED"], _server.Query(_database, "SELECT status FROM runs"));
    }

    [Fact]
    public async Task A_server_gone_past_the_store_timeout_fails_the_run_in_one_line_and_store_flush_sends_its_points_later()
    {
        Assert.Equal(0, (await Cli([], "store", "upgrade")).ExitCode);
        var ready = Path.Combine(_folder, "ready");
        var go = Path.Combine(_folder, "go");
        var run = Cli([], "run", "--store-timeout", "2s", Notebook($$"""
            using NotebookMl.Core.Tracking;
            var run = Tracker.ForCurrentWorkspace().StartRun("faults", "gone");
            for (var step = 0; step < 500; step++) run.LogMetric("loss", step, step);
            run.Flush();
            System.IO.File.WriteAllText(@"{{ready}}", "");
            while (!System.IO.File.Exists(@"{{go}}")) System.Threading.Thread.Sleep(20);
            for (var step = 500; step < 1500; step++) run.LogMetric("loss", step, step);
            run.End();
            """));
        await UntilAsync(() => File.Exists(ready));
        _server.Stop();
        await File.WriteAllTextAsync(go, "");
        var failed = await run;
        _server.Start();
        var spooled = Assert.Single(Directory.GetFiles(Path.Combine(_folder, ".notebookml", "spool"), "*.json"));
        var kept = await File.ReadAllBytesAsync(spooled);
        var flushed = await Cli([], "store", "flush");
        // A flush killed after its commit, before it deleted the file: run again, it sends nothing twice.
        await File.WriteAllBytesAsync(spooled, kept);
        var again = await Cli([], "store", "flush");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("the store has been unreachable for 2s (the store timeout); run ", failed.StandardError, StringComparison.Ordinal);
        Assert.Contains("'notebookml store flush' sends them when the store is back.", failed.StandardError, StringComparison.Ordinal);
        Assert.True(flushed.ExitCode == 0, flushed.Output);
        Assert.Equal("Sent 1,000 metric point(s) of 1 run(s) to the store.", flushed.StandardOutput.Trim());
        Assert.Equal("Nothing spooled: every run's points are in the store.", again.StandardOutput.Trim());
        Assert.False(File.Exists(spooled));
        Assert.Equal(1500, Count("SELECT COUNT(DISTINCT step) FROM metrics"));
        Assert.Equal(1500, Count("SELECT COUNT(*) FROM metrics"));
        Assert.Equal(["FINISHED"], _server.Query(_database, "SELECT status FROM runs"));
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private long Count(string sql)
    {
        try
        {
            return Convert.ToInt64(_server.Query(_database, sql).Single(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Npgsql.NpgsqlException)
        {
            return 0;
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(2); !condition(); await Task.Delay(20))
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
        }
    }

    private string Notebook(string code)
    {
        var path = Path.Combine(_folder, $"cell-{Guid.NewGuid():N}.dib");
        File.WriteAllText(path, "#!csharp\n\n" + code + "\n");
        return path;
    }

    private Task<ProcessResult> Cli(Dictionary<string, string> environment, params string[] arguments) =>
        ProcessRunner.RunAsync(RepoPaths.CliExecutable, arguments, TimeSpan.FromMinutes(3), new Dictionary<string, string>(environment) { ["CI"] = "true" }, _folder);
}
