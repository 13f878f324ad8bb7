using System.Text.RegularExpressions;
using NotebookMl.Core.Tracking;
using NotebookMl.Core.Workspaces;
using NotebookMl.Testing;

namespace NotebookMl.Cli.Tests.Rendering;

/// <summary>
/// Tables as a person sees them in a real terminal (Debian's tmux, at 80, 120 and 200 columns): no line wider than the
/// terminal, no column narrower than its name, optional columns left out with a note, and records (psql's \x) where even the
/// essential columns cannot fit; piped, every value whole and tab-separated.
/// </summary>
public sealed partial class TerminalTableTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notebookml-terminal-").FullName;
    private readonly List<string> _sessions = [];

    public TerminalTableTests()
    {
        var tracker = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml")).EnsureCreated());
        foreach (var (name, auc) in new[] { ("lightgbm-with-the-feature-store-aggregates", 0.7175), ("lightgbm-raw", 0.6829), ("mlp-features", 0.6992) })
        {
            using var run = tracker.StartRun("flight-delays", name);
            run.LogParam("features", "origin,destination,distance,hour,weekday,mean_landed_delay_3h,landed_3h,origin_landed_count_7d,origin_late_share_30d")
                .LogParam("model", name.StartsWith("mlp", StringComparison.Ordinal) ? "mlp" : "lightgbm").LogParam("trees", 200).LogParam("learning_rate", 0.1);
            foreach (var (metric, value) in new[] { ("test_auc", auc), ("test_log_loss", 0.46), ("test_pr_auc", 0.43), ("test_f1", 0.25), ("training_seconds", 3.8), ("valid_auc", auc - 0.01) })
            {
                run.LogMetric(metric, value);
            }
        }
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(200)]
    public async Task Runs_list_fits_the_terminal_with_the_essential_columns_whole(int width)
    {
        var lines = await ShowAsync(width, "runs", "list", "-e", "flight-delays");

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        var (header, widths) = Header(lines, "run ");
        Assert.Equal(["run", "name", "status", "started", "duration", "metrics.test_auc"], header.Take(6));
        // No column narrower than its name; the one value too long for its column folds or ends in …, never a 3-letter stub.
        Assert.All(header.Zip(widths), c => Assert.True(c.Second >= c.First.Length, $"{c.First}: {c.Second} characters"));
        Assert.Contains(lines, l => l.StartsWith("lightgbm-with", StringComparison.Ordinal) || l.Contains(" lightgbm-with", StringComparison.Ordinal));
        if (width < 200)
        {
            Assert.Contains(lines, l => l.StartsWith("(+", StringComparison.Ordinal) && l.Contains("not shown at", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(80, true)]
    [InlineData(200, false)]
    public async Task Runs_compare_over_three_runs_is_records_at_80_columns_and_a_table_at_200(int width, bool records)
    {
        var runs = Tracker.Open(new WorkspaceLocation(_folder, Path.Combine(_folder, ".notebookml"))).ListRuns().Select(r => r.Id[..8]).ToArray();

        var lines = await ShowAsync(width, ["runs", "compare", .. runs]);

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Equal(records, lines.Any(l => l.StartsWith("─[ 1 ]", StringComparison.Ordinal)));
        // The long feature list folds at its commas instead of running off the screen.
        Assert.Contains(lines, l => l.TrimEnd().EndsWith("weekday,", StringComparison.Ordinal) || l.Contains("weekday,mean", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Piped_every_value_is_whole_and_tab_separated()
    {
        var result = await ProcessRunner.RunAsync(RepoPaths.CliExecutable, ["runs", "list", "-e", "flight-delays", "--columns", "name,params.features,metrics.test_auc"], TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["CI"] = "true", ["NOTEBOOKML_HOME"] = Path.Combine(_folder, ".notebookml") }, _folder);

        Assert.True(result.ExitCode == 0, result.Output);
        var lines = result.StandardOutput.TrimEnd('\n').Split('\n');
        Assert.Equal("# 3 run(s), newest first unless ordered", lines[0]);
        Assert.Equal("run\tname\tparams.features\tmetrics.test_auc", lines[1]);
        Assert.All(lines[2..], l => Assert.Equal(4, l.Split('\t').Length));
        Assert.Contains(lines, l => l.Contains("\tlightgbm-with-the-feature-store-aggregates\torigin,destination,distance,hour,weekday,mean_landed_delay_3h,landed_3h,origin_landed_count_7d,origin_late_share_30d\t0.7175", StringComparison.Ordinal));
    }

    /// <summary>Runs the CLI in a tmux pane of <paramref name="width"/> columns and returns what the pane shows (wrapped lines joined back).</summary>
    private async Task<string[]> ShowAsync(int width, params string[] arguments)
    {
        var session = $"notebookml-{Guid.NewGuid():N}"[..24];
        _sessions.Add(session);
        var command = $"cd '{_folder}' && NOTEBOOKML_HOME='{Path.Combine(_folder, ".notebookml")}' '{RepoPaths.CliExecutable}' {string.Join(' ', arguments.Select(a => $"'{a}'"))}; echo __done__; sleep 600";
        var started = await ProcessRunner.RunAsync("tmux", ["new-session", "-d", "-s", session, "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", "300", command], TimeSpan.FromSeconds(30));
        Assert.True(started.ExitCode == 0, started.Output);
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(100))
        {
            var pane = await ProcessRunner.RunAsync("tmux", ["capture-pane", "-p", "-J", "-S", "-", "-t", session], TimeSpan.FromSeconds(30));
            var lines = pane.StandardOutput.Split('\n').Select(l => l.TrimEnd()).ToArray();
            if (lines.Contains("__done__"))
            {
                return lines.TakeWhile(l => l != "__done__").Where(l => l.Length > 0).ToArray();
            }

            Assert.True(DateTime.UtcNow < deadline, $"the command did not finish within 60 s:\n{pane.StandardOutput}");
        }
    }

    /// <summary>The header line starting with <paramref name="start"/> and the widths the rule under it gives each column.</summary>
    private static (string[] Names, int[] Widths) Header(string[] lines, string start)
    {
        var at = Array.FindIndex(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        Assert.True(at >= 0, string.Join("\n", lines));
        return (Words().Matches(lines[at]).Select(m => m.Value).ToArray(), Rule().Matches(lines[at + 1]).Select(m => m.Length).ToArray());
    }

    [GeneratedRegex(@"\S+(?: \S+)*")]
    private static partial Regex Words();

    [GeneratedRegex("─+")]
    private static partial Regex Rule();

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            ProcessRunner.RunAsync("tmux", ["kill-session", "-t", session], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
